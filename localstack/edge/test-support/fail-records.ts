/**
 * Fault injection for PutRecords' partial failure (DESIGN.md invariant 5), as SDK middleware on
 * a real Kinesis client: the chosen records never reach the stream and come back in the answer
 * with an ErrorCode, as Kinesis reports records it refused; the others are really written. The
 * emulators never fail a record on their own.
 */
import type {
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
} from '@smithy/types';
import type {
  KinesisClient,
  PutRecordsRequestEntry,
  PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { stackOf } from '../../../handlers/faults/fault-injector';

const TAG = 'LIVEINSIGHT_FAIL_RECORDS';

export interface FailRecords {
  /** Indexes of the records refused so far, per PutRecords call. */
  readonly refused: readonly (readonly number[])[];
  uninstall(): void;
}

export function failRecords(
  client: KinesisClient,
  choose: (record: PutRecordsRequestEntry, index: number) => boolean,
  errorCode = 'ProvisionedThroughputExceededException',
): FailRecords {
  const refused: number[][] = [];
  const middleware =
    (next: InitializeHandler<object, object>) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      const input = args.input as { Records?: PutRecordsRequestEntry[] };
      const records = input.Records ?? [];
      const failing = records.flatMap((record, index) => (choose(record, index) ? [index] : []));
      if (failing.length === 0 || records.length === 0) return next(args);
      refused.push(failing);
      const sent = records.filter((_, index) => !failing.includes(index));
      const result =
        sent.length === 0
          ? {
              output: {
                Records: [] as PutRecordsResultEntry[],
                $metadata: { httpStatusCode: 200 },
              },
              response: {},
            }
          : await next({ ...args, input: { ...input, Records: sent } });
      const output = result.output as {
        Records?: PutRecordsResultEntry[];
        FailedRecordCount?: number;
      };
      const written = [...(output.Records ?? [])];
      const merged = records.map((_, index) =>
        failing.includes(index)
          ? {
              ErrorCode: errorCode,
              ErrorMessage: `Rate exceeded for shard (injected, record ${index})`,
            }
          : (written.shift() as PutRecordsResultEntry),
      );
      return {
        ...result,
        output: {
          ...output,
          Records: merged,
          FailedRecordCount: (output.FailedRecordCount ?? 0) + failing.length,
        },
      };
    };
  stackOf(client).add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: 'liveinsightFailRecords',
    tags: [TAG],
    override: true,
  });
  return { refused, uninstall: () => stackOf(client).removeByTag(TAG) };
}
