/**
 * LIVEINSIGHT_LOCAL=localstack without a reachable container runtime: `npm start` fails at once
 * with one line saying why. (Where a runtime exists, this machine can run the whole suite against
 * LocalStack instead; then this check has nothing to check and is skipped.)
 */
import { getContainerRuntimeClient } from 'testcontainers';
import { runStartCli } from '../testing/cli-process';

describe('LocalStack path', () => {
  it('fails with a one-line reason when no container runtime is reachable', async () => {
    const runtimeReachable = await getContainerRuntimeClient().then(
      () => true,
      () => false,
    );
    if (runtimeReachable) return; // nothing to check: LocalStack can start here

    const cli = runStartCli({ LIVEINSIGHT_LOCAL: 'localstack' });
    const exit = await cli.exited;

    expect(exit.code).toBe(1);
    const failure = cli
      .output()
      .split('\n')
      .filter((line) => line.startsWith('npm start failed:'));
    expect(failure).toEqual([
      'npm start failed: LIVEINSIGHT_LOCAL=localstack needs a container runtime (Docker or ' +
        'Podman), and none is reachable: Could not find a working container runtime strategy. ' +
        'Unset LIVEINSIGHT_LOCAL to use the bundled emulators.',
    ]);
  });
});
