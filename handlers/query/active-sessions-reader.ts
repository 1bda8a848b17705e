/**
 * DynamoDB adapter for the query API: reads a site's ActiveSessions shards. Query, never Scan:
 * each shard is one partition (`${siteId}#${shard}`), read in parallel; only the attributes an
 * answer needs are projected; the expiry filter runs in DynamoDB (expired items still come back
 * from reads until TTL deletes them, up to about two days late) and again in the pure code.
 * Items are parsed with the projection's schema at this trust boundary.
 */
import {
  DescribeTableCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TSchema, Static } from '@sinclair/typebox';
import { expiryCutoffSeconds } from '../../pipeline/realtime/activity';
import type { ShardPage, ShardPageRequest } from '../../pipeline/realtime/page-across-shards';
import {
  ACTIVE_SESSION_VIEW_ATTRIBUTES,
  ActiveSessionViewSchema,
  REALTIME_VIEW_ATTRIBUTES,
  RealtimeSessionViewSchema,
  type ActiveSessionView,
  type RealtimeSessionView,
} from '../../schemas/query';
import { formatIssues, parseWith } from '../../schemas/validator';
import { AttributeValueError, decodeItem } from './attribute-values';

export interface ActiveSessionsReader {
  /** Every active item of a site, all shards read in parallel. */
  readRealtime(siteId: string, nowMs: number): Promise<RealtimeSessionView[]>;
  /** One page of one shard after a sessionId, for `/sessions/active`. */
  readShardPage(
    siteId: string,
    request: ShardPageRequest,
    nowMs: number,
  ): Promise<ShardPage<ActiveSessionView>>;
  /** Resolves when the table answers; for `/health`. */
  ping(): Promise<void>;
}

export interface ActiveSessionsReaderOptions {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  readonly shardCount: number;
}

/** Raised when DynamoDB fails or answers an item that breaks the ActiveSessions contract. */
export class ActiveSessionsReadError extends Error {
  override readonly name = 'ActiveSessionsReadError';
  constructor(
    message: string,
    /** `unavailable`: DynamoDB failed (retry helps); `contract`: the data is wrong (it does not). */
    readonly kind: 'unavailable' | 'contract',
    readonly tableName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function shardKey(siteId: string, shard: number): string {
  return `${siteId}#${shard}`;
}

/** `#a0, #a1, …` placeholders: several attribute names (`source`, `country`) are reserved words. */
function projection(attributes: readonly string[]): {
  ProjectionExpression: string;
  names: Record<string, string>;
} {
  const names: Record<string, string> = {};
  const placeholders = attributes.map((attribute, i) => {
    names[`#a${i}`] = attribute;
    return `#a${i}`;
  });
  return { ProjectionExpression: placeholders.join(', '), names };
}

const REALTIME_PROJECTION = projection(REALTIME_VIEW_ATTRIBUTES);
const SESSIONS_PROJECTION = projection(ACTIVE_SESSION_VIEW_ATTRIBUTES);

export function createActiveSessionsReader(
  options: ActiveSessionsReaderOptions,
): ActiveSessionsReader {
  const { dynamodb, tableName, shardCount } = options;

  function baseInput(
    siteId: string,
    shard: number,
    nowMs: number,
    shape: { ProjectionExpression: string; names: Record<string, string> },
    after: string | undefined,
  ): QueryCommandInput {
    const values: Record<string, AttributeValue> = {
      ':pk': { S: shardKey(siteId, shard) },
      ':cutoff': { N: String(expiryCutoffSeconds(nowMs)) },
    };
    if (after !== undefined) values[':after'] = { S: after };
    return {
      TableName: tableName,
      KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
      FilterExpression: '#expiresAt > :cutoff',
      ProjectionExpression: shape.ProjectionExpression,
      ExpressionAttributeNames: {
        ...shape.names,
        '#pk': 'pk',
        ...(after === undefined ? {} : { '#sk': 'sk' }),
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: values,
    };
  }

  async function send(input: QueryCommandInput, siteId: string, shard: number) {
    try {
      return await dynamodb.send(new QueryCommand(input));
    } catch (cause) {
      throw new ActiveSessionsReadError(
        `Query of ${tableName} for ${shardKey(siteId, shard)} failed: ${describe(cause)}`,
        'unavailable',
        tableName,
        { cause },
      );
    }
  }

  function parseItem<S extends TSchema>(
    schema: S,
    raw: Record<string, AttributeValue>,
    where: string,
  ): Static<S> {
    let decoded;
    try {
      decoded = decodeItem(raw);
    } catch (cause) {
      if (!(cause instanceof AttributeValueError)) throw cause;
      throw new ActiveSessionsReadError(
        `${tableName} item in ${where} does not match the ActiveSessions contract: ${cause.message}`,
        'contract',
        tableName,
        { cause },
      );
    }
    const parsed = parseWith(schema, decoded);
    if (!parsed.ok) {
      throw new ActiveSessionsReadError(
        `${tableName} item in ${where} does not match the ActiveSessions contract: ${formatIssues(parsed.issues)}`,
        'contract',
        tableName,
      );
    }
    return parsed.value;
  }

  async function readWholeShard(
    siteId: string,
    shard: number,
    nowMs: number,
  ): Promise<RealtimeSessionView[]> {
    const out: RealtimeSessionView[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const input = baseInput(siteId, shard, nowMs, REALTIME_PROJECTION, undefined);
      const answer = await send({ ...input, ExclusiveStartKey: start }, siteId, shard);
      for (const raw of answer.Items ?? []) {
        out.push(parseItem(RealtimeSessionViewSchema, raw, shardKey(siteId, shard)));
      }
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  return {
    async readRealtime(siteId, nowMs) {
      const shards = await Promise.all(
        Array.from({ length: shardCount }, (_, shard) => readWholeShard(siteId, shard, nowMs)),
      );
      return shards.flat();
    },

    async readShardPage(siteId, { shard, after, limit }, nowMs) {
      const input = baseInput(siteId, shard, nowMs, SESSIONS_PROJECTION, after);
      const answer = await send({ ...input, Limit: limit }, siteId, shard);
      const items = (answer.Items ?? []).map((raw) =>
        parseItem(ActiveSessionViewSchema, raw, shardKey(siteId, shard)),
      );
      if (answer.LastEvaluatedKey === undefined) return { items, lastEvaluated: undefined };
      const lastKey = answer.LastEvaluatedKey['sk']?.S;
      if (lastKey === undefined) {
        throw new ActiveSessionsReadError(
          `Query of ${tableName} answered LastEvaluatedKey ${JSON.stringify(answer.LastEvaluatedKey)} (expected a string sort key "sk")`,
          'contract',
          tableName,
        );
      }
      return { items, lastEvaluated: lastKey };
    },

    async ping() {
      try {
        await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      } catch (cause) {
        throw new ActiveSessionsReadError(
          `DescribeTable of ${tableName} failed: ${describe(cause)}`,
          'unavailable',
          tableName,
          { cause },
        );
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
