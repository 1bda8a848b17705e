/**
 * Test helper: `npm start` (start.ts) on a data dir of its own, with what tests of its faults
 * need — the demo descriptor, event batches to post, the PIDs it printed, the live line's
 * figures, and a count of the rows in its tables (also after it stopped, by starting the bare
 * stack on the same data dir).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../handlers/aws-clients';
import { resourceDefinitions } from '../../infra/resources';
import { startLocalStack } from '../local-stack';
import { type CliProcess, runStartCli } from './cli-process';

export interface DemoJson {
  readonly siteId: string;
  readonly ingestKey: string;
  readonly edgeUrl: string;
  readonly awsEndpoint: string;
}

export interface LiveFigures {
  readonly totalStored: number;
  readonly badRows: number;
  readonly duplicates: number;
  readonly consumerErrors: number;
  readonly line: string;
}

export interface ProductUnderTest {
  readonly cli: CliProcess;
  readonly dataDir: string;
  readonly demo: DemoJson;
  /** PID of an emulator as start.ts printed it (`dynamodb`, `kinesis`, `s3`). */
  pidOf(service: 'dynamodb' | 'kinesis' | 's3'): number;
  /** POSTs `count` new events of one new session; returns the status. */
  post(events: readonly object[]): Promise<number>;
  /** The newest live line's figures, if one was printed. */
  lastLive(): LiveFigures | undefined;
  /** SIGKILL if still running, and the scratch folders removed. */
  dispose(): Promise<void>;
}

const STAGE = 'liveinsight-dev';
// Consumer errors are optional so that older live lines (without them) still parse.
const LIVE =
  /live {2}[^\n]*?total stored (\d+) {2}bad rows (\d+)[^\n]*? {2}duplicates (\d+)(?:[^\n]*?consumer errors (\d+))?[^\n]*/g;

let sessionCounter = 0;

/** `count` pageviews of one new session, with unique ids. */
export function newSessionEvents(count: number): object[] {
  sessionCounter += 1;
  const sessionId = `fault_${process.pid}_${Date.now()}_${sessionCounter}`;
  return Array.from({ length: count }, (_, seq) => ({
    eventId: `${sessionId}_${seq}_pv`,
    sessionId,
    seq,
    type: 'pageview',
    ts: Date.now(),
    url: `https://shop.example.com/p/${seq}`,
  }));
}

export async function startProductUnderTest(
  env: Readonly<Record<string, string>> = {},
  options: { readonly dataDir?: string } = {},
): Promise<ProductUnderTest> {
  // A given data dir: a restart of an earlier product (dispose removes it all the same).
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'liveinsight-product-data-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'liveinsight-product-state-'));
  const cli = runStartCli({
    LIVEINSIGHT_AWS_PORT: '0',
    LIVEINSIGHT_DATA_DIR: dataDir,
    LIVEINSIGHT_STATE_DIR: stateDir,
    LIVEINSIGHT_TTL_SWEEP_MS: 'manual',
    ...env,
  });
  const dispose = async (): Promise<void> => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await cli.waitFor(/Ctrl-C stops everything/, 120_000);
  } catch (error) {
    await dispose();
    throw error;
  }
  const demo = JSON.parse(readFileSync(join(stateDir, 'demo.json'), 'utf8')) as DemoJson;
  return {
    cli,
    dataDir,
    demo,
    pidOf(service) {
      const found = new RegExp(`^ {2}${service} +.* — pid (\\d+),`, 'm').exec(cli.output());
      if (found === null) throw new Error(`start.ts printed no PID for ${service}`);
      return Number(found[1]);
    },
    async post(events) {
      const answer = await fetch(`${demo.edgeUrl}/events?key=${demo.ingestKey}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ siteId: demo.siteId, events }),
      });
      await answer.arrayBuffer();
      return answer.status;
    },
    lastLive() {
      const lines = [...cli.output().matchAll(LIVE)];
      const last = lines.at(-1);
      if (last === undefined) return undefined;
      return {
        totalStored: Number(last[1]),
        badRows: Number(last[2]),
        duplicates: Number(last[3]),
        consumerErrors: Number(last[4] ?? 0),
        line: last[0],
      };
    },
    dispose,
  };
}

async function countRows(dynamodb: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: table,
        Select: 'COUNT',
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start as never }),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}

/** Raw event rows and bad rows in the product's tables, read at `endpoint`. */
export async function countStoredRows(
  endpoint: string,
): Promise<{ events: number; badRows: number }> {
  const names = resourceDefinitions(STAGE).names.tables;
  const clients = createAwsClients({ endpoint, region: 'us-east-1' });
  try {
    return {
      events: await countRows(clients.dynamodb, names.events),
      badRows: await countRows(clients.dynamodb, names.badRows),
    };
  } finally {
    clients.destroy();
  }
}

/** The same counts after the product stopped: the bare stack on its data dir. */
export async function countStoredRowsIn(
  dataDir: string,
): Promise<{ events: number; badRows: number }> {
  const stack = await startLocalStack({ port: 0, dataDir });
  try {
    return await countStoredRows(stack.endpoint);
  } finally {
    await stack.stop();
  }
}
