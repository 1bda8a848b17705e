/**
 * No orphans: whether `npm start` is stopped with Ctrl-C (SIGINT), SIGTERM, or dies without a
 * chance to clean up (SIGKILL), every process it started — emulators and their guards — is gone
 * shortly after. The processes are found from the process table, not from what start.ts says.
 */
import { descendantsOf, runningPids, waitUntilGone } from '../testing/processes';
import { runStartCli } from '../testing/cli-process';
import { describeWithEmulators } from '../testing/use-test-stack';

const ENV = { LIVEINSIGHT_AWS_PORT: '0', LIVEINSIGHT_TTL_SWEEP_MS: 'manual' };

// Concurrent: three stacks start side by side instead of one after another.
describeWithEmulators()('npm start stopped by a signal', () => {
  it.concurrent.each<[NodeJS.Signals, number | null]>([
    ['SIGKILL', null],
    ['SIGTERM', 0],
    ['SIGINT', 0],
  ])('%s leaves no emulator or guard process behind', async (signal, expectedCode) => {
    // Arrange: the stack is up and its processes are known.
    const cli = runStartCli(ENV);
    try {
      await cli.waitFor(/Ctrl-C stops everything/, 60_000);
    } catch (error) {
      cli.child.kill('SIGKILL');
      await cli.exited; // and its scratch folder removed
      throw error;
    }
    const children = descendantsOf(cli.child.pid ?? -1);
    // 3 emulators + 3 guards at least (DynamoDB Local, s3rver, kinesalite).
    expect(children.length).toBeGreaterThanOrEqual(6);
    expect(runningPids(children)).toEqual(children);

    // Act
    cli.child.kill(signal);
    const exit = await cli.exited;

    // Assert
    expect(exit.code).toBe(expectedCode);
    expect(await waitUntilGone(children, 15_000)).toEqual([]);
  });
});
