/**
 * `npm start` twice on the same state and data dirs: the demo's read token is the same both
 * times and still reads, a token that an earlier start issued is revoked, and checkpoint files
 * of streams that no longer exist are removed from the data dir while the live mappings' stay.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { createAwsClients } from '../../handlers/aws-clients';
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { resourceNames } from '../../infra/resources';
import { parseWith } from '../../schemas';
import { FileCheckpointStore } from '../event-source-mapping/file-checkpoint-store';
import { LOCAL_READ_TOKEN_LABEL } from '../query/read-tokens-kept';
import { runStartCli } from '../testing/cli-process';
import { describeWithEmulators } from '../testing/use-test-stack';

const DemoJsonSchema = Type.Object({
  siteId: Type.String(),
  readToken: Type.String(),
  edgeUrl: Type.String(),
  awsEndpoint: Type.String(),
});
type Demo = (typeof DemoJsonSchema)['static'];

const STAGE = 'restart-state';
const STALE_MAPPING = '00000000-0000-5000-8000-00000000dead';

describeWithEmulators()('npm start on kept state and data dirs', () => {
  let stateDir: string;
  let dataDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'liveinsight-restart-state-'));
    dataDir = await mkdtemp(join(tmpdir(), 'liveinsight-restart-data-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Starts the product, runs `during` while it is up, stops it with Ctrl-C. */
  async function run(during: (demo: Demo) => Promise<void>): Promise<Demo> {
    const cli = runStartCli({
      LIVEINSIGHT_AWS_PORT: '0',
      LIVEINSIGHT_STATE_DIR: stateDir,
      LIVEINSIGHT_DATA_DIR: dataDir,
      LIVEINSIGHT_STAGE: STAGE,
    });
    try {
      await cli.waitFor(/Ctrl-C stops everything/, 120_000);
      const parsed = parseWith(
        DemoJsonSchema,
        JSON.parse(readFileSync(join(stateDir, 'demo.json'), 'utf8')),
      );
      if (!parsed.ok) throw new Error(`demo.json is malformed: ${JSON.stringify(parsed.issues)}`);
      await during(parsed.value);
      cli.child.kill('SIGINT');
      expect((await cli.exited).code).toBe(0);
      return parsed.value;
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    }
  }

  function realtimeStatus(demo: Demo, token: string): Promise<number> {
    return fetch(`${demo.edgeUrl}/realtime?siteId=${demo.siteId}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.status);
  }

  it('keeps the demo read token, revokes earlier ones and removes stale checkpoints', async () => {
    // Arrange: a checkpoint file of a stream that no longer exists; a token of an earlier start.
    const stale = new FileCheckpointStore(join(dataDir, 'esm'));
    await stale.saveCreated(STALE_MAPPING, 1);
    await stale.saveShard(STALE_MAPPING, 'shardId-000000000000', {
      sequenceNumber: '1',
      ended: false,
    });
    let earlier = '';
    const first = await run(async (demo) => {
      const clients = createAwsClients({ endpoint: demo.awsEndpoint, region: 'us-east-1' });
      try {
        earlier = await issueReadToken(
          clients.dynamodb,
          resourceNames(STAGE).tables.readTokens,
          demo.siteId,
          { nowMs: Date.now(), label: LOCAL_READ_TOKEN_LABEL },
        );
      } finally {
        clients.destroy();
      }
      expect(await realtimeStatus(demo, earlier)).toBe(200);
    });

    // Act: start again on the same dirs.
    const statuses: number[] = [];
    const second = await run(async (demo) => {
      statuses.push(await realtimeStatus(demo, first.readToken));
      statuses.push(await realtimeStatus(demo, earlier));
    });

    // Assert
    expect(second.readToken).toBe(first.readToken);
    expect(statuses).toEqual([200, 403]);
    const files = await readdir(join(dataDir, 'esm'));
    expect(files).not.toContain(`${STALE_MAPPING}.json`);
    expect(files.filter((name) => name.endsWith('.json'))).toHaveLength(1); // the live consumer's
  });
});
