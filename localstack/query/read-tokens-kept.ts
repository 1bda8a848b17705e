/**
 * The demo sites' read tokens of `npm start`, kept across restarts: the first start issues one
 * token per site and keeps it in the state dir (`.liveinsight/read-tokens.json`, mode 0600,
 * beside `demo.json` which already holds the shop's); every later start uses the same token, so
 * a bookmarked dashboard link keeps working, and stores its hash again with a fresh lifetime —
 * DynamoDB Local in memory starts empty, and with LIVEINSIGHT_DATA_DIR the record is simply
 * renewed. Then every other token the local product issued for that site (label `npm start`) is
 * revoked, so restarts never leave a trail of valid tokens behind, also when the state dir was
 * deleted while the data dir kept the table. Tokens issued by hand (`npm run admin -- read-tokens issue`, other
 * labels) are left alone.
 *
 * Demo tokens live 30 days from the last start rather than the year a token issued by hand gets:
 * each start renews them, and one left behind in a data dir should not outlive its use for long.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import {
  issueReadToken,
  registerReadToken,
  revokeLabelledReadTokens,
} from '../../handlers/authorizer/dynamo-read-tokens';
import { hashReadToken, isWellFormedReadToken } from '../../handlers/authorizer/read-token';
import { SiteIdSchema } from '../../schemas/ingest';
import { formatIssues, parseWith } from '../../schemas/validator';
import type { LocalConfig } from '../local-config';
import type { LocalProduct } from '../local-product';

/** The label of the tokens the local product issues for itself. */
export const LOCAL_READ_TOKEN_LABEL = 'npm start';

export const DEMO_READ_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/** File name in the state dir (LIVEINSIGHT_STATE_DIR). */
export const KEPT_READ_TOKENS_FILE = 'read-tokens.json';

const KeptTokensSchema = Type.Object(
  {
    version: Type.Literal(1),
    tokens: Type.Record(Type.String(), Type.String()),
  },
  { additionalProperties: false },
);

export class KeptReadTokensError extends Error {
  override readonly name = 'KeptReadTokensError';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface KeptReadTokens {
  /** The token of each site, to print and to write into demo.json. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Sites whose token was issued now (none kept, or the kept one was not a read token). */
  readonly issued: readonly string[];
  /** Earlier `npm start` tokens revoked now, over all sites. */
  readonly revoked: number;
}

type ProductPart = Pick<LocalProduct, 'clients' | 'resources'> & {
  readonly config: Pick<LocalConfig, 'stateDir'>;
};

/** The read token of each of `siteIds`: the kept one, or a new one; others of ours revoked. */
export async function keepDemoReadTokens(
  product: ProductPart,
  siteIds: readonly string[],
  nowMs: number = Date.now(),
): Promise<KeptReadTokens> {
  const path = join(product.config.stateDir, KEPT_READ_TOKENS_FILE);
  const kept = await readKept(path);
  const table = product.resources.names.tables.readTokens;
  const dynamodb = product.clients.dynamodb;
  const options = {
    nowMs,
    label: LOCAL_READ_TOKEN_LABEL,
    ttlSeconds: DEMO_READ_TOKEN_LIFETIME_SECONDS,
  };
  const tokens = new Map<string, string>();
  const issued: string[] = [];
  let revoked = 0;
  for (const siteId of siteIds) {
    if (!parseWith(SiteIdSchema, siteId).ok) {
      throw new KeptReadTokensError(
        `siteId ${JSON.stringify(siteId)} is invalid (expected ${SiteIdSchema.description})`,
        path,
      );
    }
    const keptToken = kept[siteId];
    let token: string;
    if (keptToken !== undefined && isWellFormedReadToken(keptToken)) {
      await registerReadToken(dynamodb, table, siteId, keptToken, options);
      token = keptToken;
    } else {
      token = await issueReadToken(dynamodb, table, siteId, options);
      issued.push(siteId);
    }
    tokens.set(siteId, token);
    revoked += await revokeLabelledReadTokens(dynamodb, table, siteId, {
      label: LOCAL_READ_TOKEN_LABEL,
      keepHash: hashReadToken(token),
    });
  }
  // Sites kept in the file but not asked for now stay kept: their tokens are just not renewed.
  await writeKept(path, { ...kept, ...Object.fromEntries(tokens) });
  return { tokens, issued, revoked };
}

async function readKept(path: string): Promise<Readonly<Record<string, string>>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // Not `instanceof Error`: fs errors may come from another realm (jest's sandbox).
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT')
      return {};
    throw new KeptReadTokensError(`reading the kept read tokens ${path} failed`, path, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new KeptReadTokensError(
      `${path} is not JSON (expected {"version": 1, "tokens": {"<siteId>": "lirt_…"}}; delete it to get new demo tokens)`,
      path,
      { cause },
    );
  }
  const parsed = parseWith(KeptTokensSchema, json);
  if (!parsed.ok) {
    throw new KeptReadTokensError(
      `${path} is not a kept read tokens file (${formatIssues(parsed.issues)}; delete it to get new demo tokens)`,
      path,
    );
  }
  return parsed.value.tokens;
}

/** Atomically (temp file + rename), readable by the owner only: the file holds secrets. */
async function writeKept(path: string, tokens: Readonly<Record<string, string>>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, {
      mode: 0o600,
    });
    await rename(temporary, path);
  } catch (cause) {
    throw new KeptReadTokensError(`writing the kept read tokens ${path} failed`, path, { cause });
  }
}
