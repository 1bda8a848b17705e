/**
 * The registry table's read side for the ingest authorizer (on AWS in its Lambda, locally in the
 * edge): a site item and one of its ingest-key items, fetched together with one BatchGetItem
 * from the partition of the site the key names. Items are parsed at this trust boundary
 * against schemas/registry.ts; a malformed item is an error naming the table and the item, not
 * a silent denial.
 */
import {
  BatchGetItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TSchema } from '@sinclair/typebox';
import type { RegistryReader } from '../../pipeline/ingest-authorization';
import {
  IngestKeyItemSchema,
  SITE_ITEM_SK,
  SiteItemSchema,
  ingestKeyItemSk,
  type IngestKeyItem,
  type SiteItem,
} from '../../schemas/registry';
import { formatIssues, parseWith } from '../../schemas/validator';

export class RegistryReadError extends Error {
  override readonly name = 'RegistryReadError';
}

/** BatchGetItem may leave keys unprocessed under throttling; ask again this many times. */
const UNPROCESSED_ROUNDS = 3;

function parseItem<T>(schema: TSchema, raw: Record<string, AttributeValue>, table: string): T {
  const item = unmarshall(raw);
  const parsed = parseWith(schema, item);
  if (!parsed.ok) {
    throw new RegistryReadError(
      `Registry table ${table} holds a malformed item pk=${JSON.stringify(item['pk'])} ` +
        `sk=${JSON.stringify(item['sk'])}: ${formatIssues(parsed.issues, parsed.more)}`,
    );
  }
  return parsed.value as T;
}

export function dynamoRegistryReader(dynamodb: DynamoDBClient, tableName: string): RegistryReader {
  return {
    async readSiteKey(siteId, keySha256) {
      let keys: Record<string, AttributeValue>[] = [
        { pk: { S: siteId }, sk: { S: SITE_ITEM_SK } },
        { pk: { S: siteId }, sk: { S: ingestKeyItemSk(keySha256) } },
      ];
      const found: Record<string, AttributeValue>[] = [];
      for (let round = 0; keys.length > 0; round++) {
        if (round === UNPROCESSED_ROUNDS) {
          throw new RegistryReadError(
            `BatchGetItem on ${tableName} left ${keys.length} of the site ${JSON.stringify(siteId)}'s items unprocessed after ${UNPROCESSED_ROUNDS} rounds`,
          );
        }
        let answer;
        try {
          answer = await dynamodb.send(
            new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
          );
        } catch (cause) {
          throw new RegistryReadError(
            `BatchGetItem on ${tableName} for site ${JSON.stringify(siteId)} failed: ${String(cause)}`,
            { cause },
          );
        }
        found.push(...(answer.Responses?.[tableName] ?? []));
        keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
      let site: SiteItem | undefined;
      let key: IngestKeyItem | undefined;
      for (const raw of found) {
        if (raw['sk']?.S === SITE_ITEM_SK)
          site = parseItem<SiteItem>(SiteItemSchema, raw, tableName);
        else key = parseItem<IngestKeyItem>(IngestKeyItemSchema, raw, tableName);
      }
      return { site, key };
    },
  };
}
