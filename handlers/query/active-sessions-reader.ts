/**
 * DynamoDB adapter for `/sessions/active`: reads a site's ActiveSessions shards. Query, never
 * Scan: each shard is one partition (`${siteId}#${shard}`), paged across shards; only the attributes an
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
  type ActiveSessionView,
} from '../../schemas/query';
import { formatIssues, parseWith } from '../../schemas/validator';
import { AttributeValueError, decodeItem } from './attribute-values';
import { StorageReadError, describeCause } from './storage-read-error';

export interface ActiveSessionsReader {
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

const SESSIONS_PROJECTION = projection(ACTIVE_SESSION_VIEW_ATTRIBUTES);

export function createActiveSessionsReader(
  options: ActiveSessionsReaderOptions,
): ActiveSessionsReader {
  const { dynamodb, tableName } = options;

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
      throw new StorageReadError(
        `Query of ${tableName} for ${shardKey(siteId, shard)} failed: ${describeCause(cause)}`,
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
      throw new StorageReadError(
        `${tableName} item in ${where} does not match the ActiveSessions contract: ${cause.message}`,
        'contract',
        tableName,
        { cause },
      );
    }
    const parsed = parseWith(schema, decoded);
    if (!parsed.ok) {
      throw new StorageReadError(
        `${tableName} item in ${where} does not match the ActiveSessions contract: ${formatIssues(parsed.issues)}`,
        'contract',
        tableName,
      );
    }
    return parsed.value;
  }

  return {
    async readShardPage(siteId, { shard, after, limit }, nowMs) {
      const input = baseInput(siteId, shard, nowMs, SESSIONS_PROJECTION, after);
      const answer = await send({ ...input, Limit: limit }, siteId, shard);
      const items = (answer.Items ?? []).map((raw) =>
        parseItem(ActiveSessionViewSchema, raw, shardKey(siteId, shard)),
      );
      if (answer.LastEvaluatedKey === undefined) return { items, lastEvaluated: undefined };
      const lastKey = answer.LastEvaluatedKey['sk']?.S;
      if (lastKey === undefined) {
        throw new StorageReadError(
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
        throw new StorageReadError(
          `DescribeTable of ${tableName} failed: ${describeCause(cause)}`,
          'unavailable',
          tableName,
          { cause },
        );
      }
    },
  };
}
