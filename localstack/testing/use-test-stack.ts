/**
 * Test helper for integration tests (`*.int.test.ts`). The emulators (or LocalStack) run once
 * per jest run (globalSetup); each test file gets its own resources under a unique prefix, so
 * files run in parallel without seeing each other's data.
 *
 *   let stack: TestStack;
 *   beforeAll(async () => { stack = await useTestStack(); });
 *   afterAll(() => stack.dispose());
 *   // stack.endpoint, stack.region, stack.names.tables.events, stack.clients.dynamodb, …
 *
 * Kinesis tests run against both engines:
 *   describe.each(testKinesisEngines())('… on %s', (engine) => {
 *     beforeAll(async () => { stack = await useTestStack({ kinesisEngine: engine }); });
 *   });
 *
 * `stack.env` holds the handlers' environment variables (handlers/env-names.ts) for this stack.
 * Tests of the emulators themselves use `describeWithEmulators()('…', …)` (skipped on LocalStack).
 */
import { randomBytes } from 'node:crypto';
import { type AwsClients, createAwsClients } from '../../handlers/aws-clients';
import type { EnvName } from '../../handlers/env-names';
import {
  type ResourceDefinitions,
  type ResourceNames,
  type ResourceOptions,
  resourceDefinitions,
} from '../../infra/resources';
import { bootstrapResources, deleteResources } from '../bootstrap/bootstrap';
import { LocalConfigError } from '../errors';
import { handlerEnv } from '../handler-env';
import { KINESIS_ENGINES, type KinesisEngine } from '../kinesis-engine';
import { type TestStackDescriptor, readTestStackDescriptor } from '../local-config';
import type { SweptItem } from '../ttl/ttl-sweeper';

export interface TestStack {
  /** The one AWS endpoint (AWS_ENDPOINT_URL) of this stack. */
  readonly endpoint: string;
  readonly region: string;
  readonly kinesisEngine: KinesisEngine;
  readonly mode: TestStackDescriptor['mode'];
  /** DynamoDB Local's own endpoint, bypassing the router (emulators only; rarely needed). */
  readonly dynamodbLocalEndpoint: string | undefined;
  readonly prefix: string;
  readonly names: ResourceNames;
  readonly resources: ResourceDefinitions;
  /** One SDK client per service (handlers/aws-clients.ts), pointed at `endpoint`. */
  readonly clients: AwsClients;
  /** Handler environment for this stack: endpoint, region, table/stream/bucket names. */
  readonly env: Readonly<Record<EnvName, string>>;
  /**
   * Runs the TTL sweeper now over this file's tables (or `tableNames`), returning what it
   * deleted. Tests control TTL deletes explicitly; nothing is swept in the background.
   */
  sweepTtl(tableNames?: readonly string[]): Promise<readonly SweptItem[]>;
  /** Deletes this file's resources and closes the clients. */
  dispose(): Promise<void>;
}

export interface UseTestStackOptions {
  /** Kinesis engine behind the endpoint (default: the run's default, LIVEINSIGHT_KINESIS). */
  readonly kinesisEngine?: KinesisEngine;
  /** Readable part of the prefix (lowercase letters, digits, hyphens), e.g. `ttl-sweeper`. */
  readonly name?: string;
  /** Create the resources (default true). */
  readonly bootstrap?: boolean;
  readonly resources?: ResourceOptions;
}

function descriptor(): TestStackDescriptor {
  const found = readTestStackDescriptor();
  if (found === undefined) {
    throw new LocalConfigError(
      'useTestStack() needs the local AWS started by the integration project’s globalSetup ' +
        '(run `npx jest --selectProjects integration` or `npx jest path/to/file.int.test.ts`)',
    );
  }
  return found;
}

/**
 * `describe` for tests of the emulators themselves (supervisor, TTL sweeper, persistence):
 * skipped when the run targets LocalStack (LIVEINSIGHT_LOCAL=localstack).
 */
export function describeWithEmulators(): jest.Describe {
  return readTestStackDescriptor()?.mode === 'localstack' ? describe.skip : describe;
}

/** Kinesis engines this run serves; parametrise Kinesis tests over these. */
export function testKinesisEngines(): readonly KinesisEngine[] {
  const found = readTestStackDescriptor();
  if (found === undefined) return ['kinesalite'];
  return KINESIS_ENGINES.filter((engine) => found.endpoints[engine] !== undefined);
}

function uniquePrefix(name: string | undefined): string {
  const slug = (name ?? 'it')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/g, '');
  return `${slug === '' ? 'it' : slug}-${randomBytes(4).toString('hex')}`;
}

export async function useTestStack(options: UseTestStackOptions = {}): Promise<TestStack> {
  const found = descriptor();
  const engine = options.kinesisEngine ?? found.defaultEngine;
  const endpoint = found.endpoints[engine];
  if (endpoint === undefined) {
    throw new LocalConfigError(
      `Kinesis engine ${engine} is not running in this test run (running: ` +
        `${Object.keys(found.endpoints).join(', ')}); parametrise with testKinesisEngines()`,
    );
  }
  const prefix = uniquePrefix(options.name);
  const resources = resourceDefinitions(prefix, options.resources);
  const clients = createAwsClients({ endpoint, region: found.region });
  if (options.bootstrap ?? true) {
    try {
      await bootstrapResources(clients, resources);
    } catch (error) {
      clients.destroy();
      throw error;
    }
  }
  const tables = resources.tables.map((table) => table.tableName);
  return {
    endpoint,
    region: found.region,
    kinesisEngine: engine,
    mode: found.mode,
    dynamodbLocalEndpoint: found.dynamodbLocal,
    prefix,
    names: resources.names,
    resources,
    clients,
    env: handlerEnv(endpoint, found.region, resources),
    sweepTtl: (tableNames) => requestSweep(found, endpoint, tableNames ?? tables),
    async dispose() {
      try {
        await deleteResources(clients, resources);
      } finally {
        clients.destroy();
      }
    },
  };
}

async function requestSweep(
  found: TestStackDescriptor,
  endpoint: string,
  tableNames: readonly string[],
): Promise<readonly SweptItem[]> {
  if (found.mode === 'localstack') {
    throw new LocalConfigError(
      'sweepTtl() drives the emulators’ TTL sweeper; LocalStack runs its own on its own schedule',
    );
  }
  const response = await fetch(`${endpoint}/_liveinsight/ttl/sweep`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tables: tableNames }),
  });
  const body: unknown = await response.json();
  if (!response.ok || typeof body !== 'object' || body === null || !('deleted' in body)) {
    throw new Error(
      `TTL sweep request failed: HTTP ${response.status} ${JSON.stringify(body)} (expected {deleted: [...]})`,
    );
  }
  const deleted = body.deleted;
  if (!Array.isArray(deleted)) {
    throw new Error(`TTL sweep answered deleted=${JSON.stringify(deleted)} (expected an array)`);
  }
  return deleted.map((item: unknown) => {
    if (
      typeof item !== 'object' ||
      item === null ||
      !('tableName' in item) ||
      typeof item.tableName !== 'string' ||
      !('keys' in item) ||
      typeof item.keys !== 'object' ||
      item.keys === null
    ) {
      throw new Error(
        `TTL sweep answered an item ${JSON.stringify(item)} (expected {tableName, keys})`,
      );
    }
    return { tableName: item.tableName, keys: item.keys as Record<string, unknown> };
  });
}
