/**
 * ReadTokens table adapter: the authorizer's lookup (one GetItem by site and token hash) and the
 * registry operations that issue and revoke tokens (used by `npm start` for the demo sites and
 * by operators). Only the SHA-256 of a token is written; the token is shown once, at issue.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { Type } from '@sinclair/typebox';
import { SiteIdSchema } from '../../schemas/ingest';
import {
  READ_TOKEN_LIFETIME_SECONDS,
  ReadTokenItemSchema,
  type ReadTokenItem,
} from '../../schemas/query';
import { formatIssues, parseWith } from '../../schemas/validator';
import type { ReadTokenStore } from './decide-read';
import { generateReadToken, hashReadToken } from './read-token';

export class ReadTokensError extends Error {
  override readonly name = 'ReadTokensError';
  constructor(
    message: string,
    readonly tableName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const FoundSchema = Type.Object({ expiresAt: ReadTokenItemSchema.properties.expiresAt });

export function dynamoReadTokenStore(dynamodb: DynamoDBClient, tableName: string): ReadTokenStore {
  return {
    async findReadToken(siteId, tokenHash) {
      let answer;
      try {
        answer = await dynamodb.send(
          new GetItemCommand({
            TableName: tableName,
            Key: { pk: { S: siteId }, sk: { S: tokenHash } },
            ProjectionExpression: 'expiresAt',
          }),
        );
      } catch (cause) {
        throw new ReadTokensError(
          `GetItem on ${tableName} for site ${JSON.stringify(siteId)} failed: ${String(cause)}`,
          tableName,
          { cause },
        );
      }
      if (answer.Item === undefined) return undefined;
      const parsed = parseWith(FoundSchema, unmarshall(answer.Item));
      if (!parsed.ok) {
        throw new ReadTokensError(
          `${tableName} item of site ${JSON.stringify(siteId)} is malformed: ${formatIssues(parsed.issues)}`,
          tableName,
        );
      }
      return parsed.value;
    },
  };
}

export interface IssueReadTokenOptions {
  readonly nowMs: number;
  readonly label: string;
  /** Lifetime (default: the table's retention, 365 days). */
  readonly ttlSeconds?: number;
}

/** Creates a read token for `siteId`, stores its hash and returns the token (shown only now). */
export async function issueReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  options: IssueReadTokenOptions,
): Promise<string> {
  if (!parseWith(SiteIdSchema, siteId).ok) {
    throw new ReadTokensError(
      `siteId ${JSON.stringify(siteId)} is invalid (expected ${SiteIdSchema.description})`,
      tableName,
    );
  }
  const token = generateReadToken();
  const item: ReadTokenItem = {
    pk: siteId,
    sk: hashReadToken(token),
    createdAt: options.nowMs,
    expiresAt:
      Math.floor(options.nowMs / 1000) + (options.ttlSeconds ?? READ_TOKEN_LIFETIME_SECONDS),
    label: options.label,
  };
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item),
        // 256 random bits never collide; the condition makes a broken generator fail loudly.
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  } catch (cause) {
    throw new ReadTokensError(
      `PutItem on ${tableName} for site ${JSON.stringify(siteId)} failed: ${String(cause)}`,
      tableName,
      { cause },
    );
  }
  return token;
}

/** Deletes a token; afterwards it reads nothing (once authorizer caches have expired). */
export async function revokeReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  token: string,
): Promise<void> {
  try {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { pk: { S: siteId }, sk: { S: hashReadToken(token) } },
      }),
    );
  } catch (cause) {
    throw new ReadTokensError(
      `DeleteItem on ${tableName} for site ${JSON.stringify(siteId)} failed: ${String(cause)}`,
      tableName,
      { cause },
    );
  }
}
