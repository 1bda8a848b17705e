/**
 * The processor part of `npm start` on the emulators: a session written to the tables shows up
 * in the sink's summary within seconds; stopping leaves nothing running. And the file tail the
 * sink relies on: partial lines wait for their newline, a truncated file is read from the start.
 */
import { appendFile, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { toItem } from '../../handlers/adapters/item-codec';
import { recentT0, sessionItemAt } from '../../handlers/processor/__fixtures__/stream-events';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { waitFor } from '../testing/wait-for';
import { JsonLinesTail } from './json-lines-tail';
import { type LocalProcessor, startLocalProcessor } from './local-processor';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'liveinsight-sink-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('startLocalProcessor', () => {
  let stack: TestStack;
  let processor: LocalProcessor | undefined;
  beforeEach(async () => {
    stack = await useTestStack({ name: 'local-processor' });
  });
  afterEach(async () => {
    await processor?.stop();
    await stack.dispose();
  });

  it('shows a session written to the tables in the summary within seconds', async () => {
    processor = await startLocalProcessor({
      env: stack.env,
      clients: stack.clients,
      metricsFile: join(directory, 'nested', 'metrics.jsonl'),
      pollIntervalMs: 100,
    });
    const t0 = recentT0() + 9 * 60_000; // one minute ago
    const started = Date.now();

    await stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName: stack.names.tables.sessions,
        Item: toItem(sessionItemAt(t0, [{ seq: 0, at: 0 }])),
      }),
    );

    const running = processor;
    await waitFor(
      () => running.sink.summary().total.pageViews30Min === 1,
      () => `one page view; sink ${JSON.stringify(running.sink.stats())}`,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const latencyMs = Date.now() - started;
    const summary = running.sink.summary();
    expect(summary.sites.map((site) => site.site)).toEqual(['demo-shop']);
    expect(summary.total).toMatchObject({
      activeSessions: 1,
      sessionsStarted30Min: 1,
      pageViews30Min: 1,
    });
    expect(latencyMs).toBeLessThan(10_000);
    expect(running.summary).toContain(stack.names.tables.activeSessions);
  });
});

describe('JsonLinesTail', () => {
  it('returns a line only once its newline is written, and reads a truncated file again', async () => {
    const file = join(directory, 'lines.jsonl');
    const tail = new JsonLinesTail(file);

    expect(await tail.readNewLines()).toEqual([]);
    await appendFile(file, '{"a":1}\n{"b":');
    expect(await tail.readNewLines()).toEqual(['{"a":1}']);
    await appendFile(file, '"é"}\n');
    expect(await tail.readNewLines()).toEqual(['{"b":"é"}']);
    await truncate(file, 0);
    await appendFile(file, '{"c":3}\n');
    expect(await tail.readNewLines()).toEqual(['{"c":3}']);
  });
});
