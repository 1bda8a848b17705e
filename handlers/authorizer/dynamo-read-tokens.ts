/**
 * ReadTokens table adapter: the authorizer's lookup (one GetItem by site and token hash) and the
 * registry operations that issue and revoke tokens (used by `npm start` for the demo sites and
 * by operators). Only the SHA-256 of a token is written; the token is shown once, at issue.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
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
import { generateReadToken, hashReadToken, isWellFormedReadToken } from './read-token';

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

function checkedSiteId(siteId: string, tableName: string): string {
  if (!parseWith(SiteIdSchema, siteId).ok) {
    throw new ReadTokensError(
      `siteId ${JSON.stringify(siteId)} is invalid (expected ${SiteIdSchema.description})`,
      tableName,
    );
  }
  return siteId;
}

function readTokenItem(
  siteId: string,
  token: string,
  options: IssueReadTokenOptions,
): ReadTokenItem {
  return {
    pk: siteId,
    sk: hashReadToken(token),
    createdAt: options.nowMs,
    expiresAt:
      Math.floor(options.nowMs / 1000) + (options.ttlSeconds ?? READ_TOKEN_LIFETIME_SECONDS),
    label: options.label,
  };
}

async function putReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  item: ReadTokenItem,
  conditionExpression: string | undefined,
): Promise<void> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item),
        ...(conditionExpression === undefined ? {} : { ConditionExpression: conditionExpression }),
      }),
    );
  } catch (cause) {
    throw new ReadTokensError(
      `PutItem on ${tableName} for site ${JSON.stringify(item.pk)} failed: ${String(cause)}`,
      tableName,
      { cause },
    );
  }
}

/** Creates a read token for `siteId`, stores its hash and returns the token (shown only now). */
export async function issueReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  options: IssueReadTokenOptions,
): Promise<string> {
  const token = generateReadToken();
  // 256 random bits never collide; the condition makes a broken generator fail loudly.
  await putReadToken(
    dynamodb,
    tableName,
    readTokenItem(checkedSiteId(siteId, tableName), token, options),
    'attribute_not_exists(sk)',
  );
  return token;
}

/**
 * Stores (again) the hash of a token that was issued earlier and kept by its holder, with a new
 * lifetime from `nowMs`: how the local product keeps its demo token across restarts, also when
 * DynamoDB Local started empty. Overwrites the token's record if it is still there.
 */
export async function registerReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  token: string,
  options: IssueReadTokenOptions,
): Promise<void> {
  if (!isWellFormedReadToken(token)) {
    throw new ReadTokensError(
      `the token to register for site ${JSON.stringify(siteId)} is not a read token (expected lirt_ and 43 base64url characters)`,
      tableName,
    );
  }
  await putReadToken(
    dynamodb,
    tableName,
    readTokenItem(checkedSiteId(siteId, tableName), token, options),
    undefined,
  );
}

/**
 * Revokes every token of `siteId` with this `label` except the one whose hash is `keepHash`;
 * answers how many were revoked. For the local product's own tokens (label `npm start`): tokens
 * that operators issued under other labels are never touched.
 */
export async function revokeLabelledReadTokens(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  options: { readonly label: string; readonly keepHash: string | undefined },
): Promise<number> {
  const stale: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  try {
    do {
      const page = await dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :site',
          FilterExpression: '#label = :label',
          ProjectionExpression: 'sk',
          ExpressionAttributeNames: { '#label': 'label' },
          ExpressionAttributeValues: {
            ':site': { S: checkedSiteId(siteId, tableName) },
            ':label': { S: options.label },
          },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) {
        const hash = item['sk']?.S;
        if (hash !== undefined && hash !== options.keepHash) stale.push(hash);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  } catch (cause) {
    if (cause instanceof ReadTokensError) throw cause;
    throw new ReadTokensError(
      `Query on ${tableName} for the ${JSON.stringify(options.label)} tokens of site ${JSON.stringify(siteId)} failed: ${String(cause)}`,
      tableName,
      { cause },
    );
  }
  for (const hash of stale) await deleteReadTokenHash(dynamodb, tableName, siteId, hash);
  return stale.length;
}

/** Deletes a token; afterwards it reads nothing (once authorizer caches have expired). */
export function revokeReadToken(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  token: string,
): Promise<void> {
  return deleteReadTokenHash(dynamodb, tableName, siteId, hashReadToken(token));
}

async function deleteReadTokenHash(
  dynamodb: DynamoDBClient,
  tableName: string,
  siteId: string,
  tokenHash: string,
): Promise<void> {
  try {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { pk: { S: siteId }, sk: { S: tokenHash } },
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
