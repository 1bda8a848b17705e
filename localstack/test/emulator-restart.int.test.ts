/**
 * An emulator that dies under the running stack is noticed at once: `/_localstack/health` says
 * so, and it is restarted on its port with its data when its data is on disk (a data dir), or
 * reported lost when it lived in memory (a restart would come back empty). Faults are real: the
 * emulator process is killed with SIGKILL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../handlers/aws-clients';
import { resourceDefinitions } from '../../infra/resources';
import { bootstrapResources } from '../bootstrap/bootstrap';
import { type EmulatorEvent, type LocalStack, startLocalStack } from '../local-stack';
import { describeWithEmulators } from '../testing/use-test-stack';

interface Health {
  services: Record<string, string>;
}

async function health(stack: LocalStack): Promise<Health> {
  const answer = await fetch(`${stack.endpoint}/_localstack/health`);
  return (await answer.json()) as Health;
}

function pidOf(stack: LocalStack, name: string): number {
  const emulator = stack.emulators.find((candidate) => candidate.name === name);
  if (emulator === undefined) throw new Error(`no emulator ${name} in the stack`);
  return emulator.process.pid;
}

/** Resolves with the first event that `accept` takes; rejects at the deadline. */
function eventually(
  events: EmulatorEvent[],
  accept: (event: EmulatorEvent) => boolean,
  timeoutMs: number,
): Promise<EmulatorEvent> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const found = events.find(accept);
      if (found !== undefined) resolve(found);
      else if (Date.now() > until)
        reject(new Error(`no such event within ${timeoutMs} ms: ${JSON.stringify(events)}`));
      else setTimeout(check, 50);
    };
    check();
  });
}

describeWithEmulators()('an emulator dies under the running stack', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'liveinsight-restart-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('with a data dir: DynamoDB Local is reported, restarted on its port, and keeps its items', async () => {
    // Arrange: a stack on a data dir, one item stored.
    const events: EmulatorEvent[] = [];
    const healthWhenExited: Promise<Health>[] = [];
    const stack = await startLocalStack({
      port: 0,
      dataDir,
      onEmulatorEvent: (event) => {
        events.push(event);
        // Asked at once: a JVM takes over a second to come back.
        if (event.kind === 'exited') healthWhenExited.push(health(stack));
      },
    });
    const clients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
    try {
      const resources = resourceDefinitions('restart');
      await bootstrapResources(clients, resources);
      const Key = { pk: { S: 'site#session' }, sk: { S: 'event-1' } };
      await clients.dynamodb.send(
        new PutItemCommand({ TableName: resources.names.tables.events, Item: { ...Key } }),
      );
      const killed = pidOf(stack, 'dynamodb-local');

      // Act
      process.kill(killed, 'SIGKILL');
      const restarted = await eventually(events, (event) => event.kind === 'restarted', 60_000);

      // Assert: reported with how it ended, restarted on a new PID, the item still there.
      expect(events[0]).toMatchObject({
        kind: 'exited',
        name: 'dynamodb-local',
        pid: killed,
        signal: 'SIGKILL',
        restarting: true,
      });
      expect(await healthWhenExited[0]).toMatchObject({
        services: { dynamodb: 'restarting', dynamodbstreams: 'restarting', s3: 'running' },
      });
      expect(restarted).toMatchObject({ kind: 'restarted', name: 'dynamodb-local' });
      expect(pidOf(stack, 'dynamodb-local')).not.toBe(killed);
      expect(stack.pids()).toContain(pidOf(stack, 'dynamodb-local'));
      expect((await health(stack)).services.dynamodb).toBe('running');
      const { Item } = await clients.dynamodb.send(
        new GetItemCommand({ TableName: resources.names.tables.events, Key }),
      );
      expect(Item).toEqual(Key);
    } finally {
      clients.destroy();
      await stack.stop();
    }
  }, 120_000);

  it('in memory: a dead kinesalite is reported lost, and health says error', async () => {
    // Arrange
    const events: EmulatorEvent[] = [];
    const stack = await startLocalStack({
      port: 0,
      onEmulatorEvent: (event) => events.push(event),
    });
    try {
      const killed = pidOf(stack, 'kinesalite');

      // Act
      process.kill(killed, 'SIGKILL');
      const lost = await eventually(events, (event) => event.kind === 'lost', 30_000);

      // Assert
      expect(events[0]).toMatchObject({ kind: 'exited', name: 'kinesalite', restarting: false });
      expect(lost).toMatchObject({
        kind: 'lost',
        name: 'kinesalite',
        reason: expect.stringContaining('LIVEINSIGHT_DATA_DIR') as unknown,
      });
      expect((await health(stack)).services).toMatchObject({
        kinesis: 'error',
        dynamodb: 'running',
      });
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
