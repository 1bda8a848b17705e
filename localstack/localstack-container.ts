/**
 * The LocalStack path (LIVEINSIGHT_LOCAL=localstack): the same integration suite against the
 * real LocalStack image through @testcontainers/localstack, where a container runtime exists.
 * Without one, this fails at once with a one-line reason instead of a stack trace from deep in
 * testcontainers' runtime discovery.
 */
import { ContainerRuntimeUnavailableError } from './errors';
import { LOCAL_REGION } from './local-stack';

/** Pinned like every dependency: LocalStack changes emulator behaviour between releases. */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.4';

export interface RunningLocalStackContainer {
  readonly endpoint: string;
  readonly region: string;
  stop(): Promise<void>;
}

export interface LocalStackContainerOptions {
  readonly image?: string;
  /** Replaces testcontainers' runtime discovery (tests inject a missing runtime). */
  readonly checkRuntime?: () => Promise<void>;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() ?? text;
}

async function defaultRuntimeCheck(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  await getContainerRuntimeClient();
}

export async function startLocalStackContainer(
  options: LocalStackContainerOptions = {},
): Promise<RunningLocalStackContainer> {
  try {
    await (options.checkRuntime ?? defaultRuntimeCheck)();
  } catch (cause) {
    throw new ContainerRuntimeUnavailableError(
      `LIVEINSIGHT_LOCAL=localstack needs a container runtime (Docker or Podman), and none is ` +
        `reachable: ${firstLine(cause)}. Unset LIVEINSIGHT_LOCAL to use the bundled emulators.`,
      { cause },
    );
  }
  const { LocalstackContainer } = await import('@testcontainers/localstack');
  // LocalStack starts DynamoDB (DynamoDB Local), Kinesis (kinesis-mock) and S3 on first use.
  const container = await new LocalstackContainer(options.image ?? LOCALSTACK_IMAGE).start();
  return {
    endpoint: container.getConnectionUri(),
    region: LOCAL_REGION,
    stop: async () => {
      await container.stop();
    },
  };
}
