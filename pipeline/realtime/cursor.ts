/**
 * Opaque paging cursor of `/sessions/active`. Every shard of ActiveSessions is sorted by
 * sessionId (the sort key), so "the last sessionId returned" is a position in all shards at
 * once. The cursor names its site so that a cursor of one site is refused on another.
 *
 * base64url keeps it URL-safe; the format is versioned so it can change without breaking
 * clients that hold a cursor across a deploy (they get a clear 400, not a wrong page).
 */
import { Type } from '@sinclair/typebox';
import { formatIssues, parseWith } from '../../schemas/validator';

const CURSOR_VERSION = 1;

const CursorSchema = Type.Object(
  {
    v: Type.Literal(CURSOR_VERSION),
    site: Type.String({ minLength: 1 }),
    after: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export interface CursorPosition {
  readonly siteId: string;
  /** Last sessionId of the previous page; the next page starts after it. */
  readonly after: string;
}

export class CursorError extends Error {
  override readonly name = 'CursorError';
  constructor(
    message: string,
    readonly received: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function encodeCursor(position: CursorPosition): string {
  const body = { v: CURSOR_VERSION, site: position.siteId, after: position.after };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Parses a cursor received from a client and checks it belongs to `siteId`. */
export function decodeCursor(cursor: string, siteId: string): CursorPosition {
  const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}…` : cursor;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new CursorError(
      `cursor ${JSON.stringify(shown)} is not a cursor this API issued (expected the nextCursor of a previous page)`,
      cursor,
      { cause },
    );
  }
  const parsed = parseWith(CursorSchema, json);
  if (!parsed.ok) {
    throw new CursorError(
      `cursor ${JSON.stringify(shown)} is not a cursor this API issued (${formatIssues(parsed.issues)})`,
      cursor,
    );
  }
  if (parsed.value.site !== siteId) {
    throw new CursorError(
      `cursor ${JSON.stringify(shown)} belongs to another site (expected a cursor of site ${JSON.stringify(siteId)})`,
      cursor,
    );
  }
  return { siteId, after: parsed.value.after };
}
