/**
 * Stack props that give every Lambda function prebuilt code from `dir` instead of an esbuild
 * bundle, so a test synthesizes the whole stack without bundling five handlers.
 */
import type { LiveInsightStackProps } from '../../liveinsight-stack';

export function prebuiltCode(
  dir: string,
): Pick<
  LiveInsightStackProps,
  | 'consumerCode'
  | 'processorCode'
  | 'rollupCode'
  | 'queryCode'
  | 'authorizerCode'
  | 'ingestAuthorizerCode'
> {
  const prebuilt = { kind: 'prebuilt', dir } as const;
  return {
    consumerCode: prebuilt,
    processorCode: prebuilt,
    rollupCode: prebuilt,
    queryCode: prebuilt,
    authorizerCode: prebuilt,
    ingestAuthorizerCode: prebuilt,
  };
}
