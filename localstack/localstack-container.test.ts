import { ContainerRuntimeUnavailableError } from './errors';
import { startLocalStackContainer } from './localstack-container';

describe('startLocalStackContainer without a container runtime', () => {
  it('fails with a one-line reason that keeps the cause', async () => {
    // Arrange: testcontainers' discovery error is multi-line; inject one.
    const cause = new Error('Could not find a working container runtime strategy\n  at x\n  at y');
    // Act
    const error = await startLocalStackContainer({
      checkRuntime: () => Promise.reject(cause),
    }).catch((caught: unknown) => caught);
    // Assert
    expect(error).toBeInstanceOf(ContainerRuntimeUnavailableError);
    expect((error as Error).message).toBe(
      'LIVEINSIGHT_LOCAL=localstack needs a container runtime (Docker or Podman), and none is ' +
        'reachable: Could not find a working container runtime strategy. Unset LIVEINSIGHT_LOCAL ' +
        'to use the bundled emulators.',
    );
    expect((error as Error).cause).toBe(cause);
  });
});
