/**
 * DynamoDB Local dies under `npm start` (SIGKILL to its process, data dir set): the product says
 * so loudly, the edge refuses events (503) while it is down instead of acknowledging what cannot
 * be stored, DynamoDB Local comes back with its data, ingest resumes, the consumer's errors of
 * the outage show on the live line, and nothing acknowledged is lost: accepted = stored + bad.
 * The live line counts rows written: re-sent events show as duplicates, not as stored.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createAwsClients } from '../../handlers/aws-clients';
import { resourceDefinitions } from '../../infra/resources';
import { runStartCli } from '../testing/cli-process';
import { descendantsOf, waitUntilGone } from '../testing/processes';
import {
  type LiveFigures,
  type ProductUnderTest,
  countStoredRows,
  newSessionEvents,
  startProductUnderTest,
} from '../testing/product-under-test';
import { describeWithEmulators } from '../testing/use-test-stack';

async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeWithEmulators()('npm start when DynamoDB Local dies', () => {
  let product: ProductUnderTest | undefined;
  afterAll(() => product?.dispose());

  it('reports it, refuses events while it is down, restarts it and stores every acknowledged event', async () => {
    // Arrange: the product on a data dir; one batch sent three times (a tracker's re-sends).
    product = await startProductUnderTest({ LIVEINSIGHT_DEMO: 'off' });
    const running = product;
    const resent = newSessionEvents(10);
    for (let i = 0; i < 3; i += 1) expect(await running.post(resent)).toBe(200);
    const counted = await pollUntil<LiveFigures>('the live line counting the rows', 60_000, () => {
      const live = running.lastLive();
      return live !== undefined && live.totalStored === 10 ? live : undefined;
    });
    const dynamodbPid = running.pidOf('dynamodb');

    // Act: kill DynamoDB Local.
    process.kill(dynamodbPid, 'SIGKILL');
    await running.cli.waitFor(
      new RegExp(
        `!! dynamodb-local \\(pid ${dynamodbPid}\\) exited on its own \\(code null, signal SIGKILL\\)`,
      ),
      30_000,
    );
    // While it is down (a JVM takes over a second to come back): refused, and health says so.
    const duringOutage = await running.post(newSessionEvents(5));
    const health = (await (
      await fetch(`${running.demo.awsEndpoint}/_localstack/health`)
    ).json()) as { services: Record<string, string> };
    // A record that reached the stream anyway (a put not through the edge): the consumer fails
    // on it until DynamoDB is back — its bad row cannot be written.
    const clients = createAwsClients({ endpoint: running.demo.awsEndpoint, region: 'us-east-1' });
    try {
      await clients.kinesis.send(
        new PutRecordsCommand({
          StreamName: resourceDefinitions('liveinsight-dev').names.eventsStream,
          Records: [{ Data: Buffer.from('not an edge record'), PartitionKey: 'poison' }],
        }),
      );
    } finally {
      clients.destroy();
    }
    await running.cli.waitFor(
      /!! dynamodb-local restarted \(pid \d+\)[^\n]*ingest resumes/,
      90_000,
    );
    const afterRestart = newSessionEvents(7);
    const resumed = await running.post(afterRestart);
    const settled = await pollUntil<LiveFigures>('the live line settling', 90_000, () => {
      const live = running.lastLive();
      return live !== undefined && live.totalStored === 17 && live.badRows === 1 ? live : undefined;
    });

    // Assert
    expect(counted).toMatchObject({ totalStored: 10, duplicates: 20, consumerErrors: 0 });
    expect(duringOutage).toBe(503);
    expect(health.services).toMatchObject({ dynamodb: 'restarting', kinesis: 'running' });
    expect(running.cli.output()).toContain(
      '!! ingest paused: the edge answers 503 (retryable) to POST /events until dynamodb-local is back.',
    );
    expect(resumed).toBe(200);
    // accepted (10 + 7 through the edge, 1 put directly) = stored + bad, in the tables too.
    expect(settled.duplicates).toBe(20);
    expect(settled.consumerErrors).toBeGreaterThan(0);
    expect(settled.line).toMatch(/consumer errors \d+ \(last: .+\)/);
    expect(await countStoredRows(running.demo.awsEndpoint)).toEqual({ events: 17, badRows: 1 });
  }, 300_000);

  it('without a data dir, a dead emulator cannot come back: the product says why and stops (exit 1)', async () => {
    // Arrange: in memory, so a restarted kinesalite would come back without the stream.
    const cli = runStartCli({ LIVEINSIGHT_AWS_PORT: '0', LIVEINSIGHT_TTL_SWEEP_MS: 'manual' });
    try {
      await cli.waitFor(/Ctrl-C stops everything/, 120_000);
      const children = descendantsOf(cli.child.pid ?? -1);
      const found = /^ {2}kinesis +.* — pid (\d+),/m.exec(cli.output());
      if (found === null) throw new Error('start.ts printed no PID for kinesis');

      // Act
      process.kill(Number(found[1]), 'SIGKILL');
      const exit = await cli.exited;

      // Assert
      expect(exit.code).toBe(1);
      expect(cli.output()).toMatch(
        /!! kinesalite is down and will not be restarted: it keeps its data in memory[^\n]*LIVEINSIGHT_DATA_DIR/,
      );
      expect(cli.output()).toContain('npm start stops: kinesalite is down');
      expect(await waitUntilGone(children, 15_000)).toEqual([]);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    }
  }, 200_000);
});
