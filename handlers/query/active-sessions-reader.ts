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

/**
 * DynamoDB's limits on key attribute values, counted in UTF-8 bytes, not characters: a value
 * over them is refused with a ValidationException. The sort key is `sessionId`.
 */
export const DYNAMODB_KEY_LIMITS = { partitionKeyBytes: 2048, sortKeyBytes: 1024 } as const;

/**
 * Why a client-supplied sort key position (a cursor's `after`) cannot be sent to DynamoDB, or
 * undefined when it can. Checked before the Query so that a client's mistake is a 400 naming
 * it, not a DynamoDB error: a lone surrogate has no UTF-8 form, and a position can be short in
 * characters yet over the limit in bytes.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

export function sortKeyPositionProblem(position: string): string | undefined {
  if (position.length === 0) return 'the position is empty (expected a session id)';
  if (LONE_SURROGATE.test(position)) {
    return 'the position holds a lone UTF-16 surrogate (expected text that has a UTF-8 form)';
  }
  const bytes = Buffer.byteLength(position, 'utf8');
  if (bytes > DYNAMODB_KEY_LIMITS.sortKeyBytes) {
    return `the position is ${bytes} bytes in UTF-8 (expected at most ${DYNAMODB_KEY_LIMITS.sortKeyBytes}, DynamoDB's sort key limit)`;
  }
  return undefined;
}

/**
 * DynamoDB's answer to a request it refuses as malformed (a key over its size, a bad
 * expression); retrying the same request cannot help.
 */
function isValidationException(cause: unknown): boolean {
  return cause instanceof Error && cause.name === 'ValidationException';
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

  async function send(
    input: QueryCommandInput,
    siteId: string,
    shard: number,
    after: string | undefined,
  ) {
    try {
      return await dynamodb.send(new QueryCommand(input));
    } catch (cause) {
      // A refusal of a request that carries a client's position is the client's mistake (400);
      // one of a request built only from our own values is our bug (500). Neither is retried.
      const kind = !isValidationException(cause)
        ? 'unavailable'
        : after === undefined
          ? 'refused'
          : 'invalid_input';
      throw new StorageReadError(
        `Query of ${tableName} for ${shardKey(siteId, shard)}${after === undefined ? '' : ` after ${JSON.stringify(after.slice(0, 40))}`} failed: ${describeCause(cause)}`,
        kind,
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
      const problem = after === undefined ? undefined : sortKeyPositionProblem(after);
      if (problem !== undefined) {
        throw new StorageReadError(
          `Query of ${tableName} for ${shardKey(siteId, shard)} not sent: ${problem}`,
          'invalid_input',
          tableName,
        );
      }
      const input = baseInput(siteId, shard, nowMs, SESSIONS_PROJECTION, after);
      const answer = await send({ ...input, Limit: limit }, siteId, shard, after);
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
