/**
 * A cursor is client input: whatever string a client sends as `?cursor=`, GET /sessions/active
 * answers 200 or a 400 naming the problem, never a 5xx (which tells clients to retry the same
 * mistake). DynamoDB limits key attributes in UTF-8 bytes (sort key ≤ 1,024), not characters,
 * so the cursors here include positions that are short in characters and long in bytes,
 * lone surrogates, cursors of another site and cursors that are not cursors at all. Run against
 * DynamoDB Local, which refuses oversized keys with a ValidationException as AWS does.
 */
import fc from 'fast-check';
import { encodeCursor } from '../../pipeline/realtime/cursor';
import { installFaultInjector } from '../test-support/fault-injector';
import type { ErrorAnswerFault } from '../test-support/faults';
import { ErrorBodySchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';
import { queryApiOnTables } from './test-support/query-api-on-tables';
import type { QueryApi, QueryResponse } from './query-api';

const SHARDS = 2;
const SITE = 'site-a';
const nowMs = Date.now();

let stack: TestStack;
let api: QueryApi;
const logged: unknown[] = [];

function getWithCursor(cursor: string): Promise<QueryResponse> {
  return api({
    method: 'GET',
    path: '/sessions/active',
    query: { siteId: SITE, limit: '5', cursor },
    grantedSiteId: SITE,
  });
}

/** The cursor body as a client could forge it: JSON.stringify escapes lone surrogates. */
function forged(body: unknown): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** DynamoDB's answer to a request it refuses as malformed (AWS's wire form of it). */
const validationException: ErrorAnswerFault = {
  kind: 'error-answer',
  status: 400,
  code: 'com.amazon.coral.validate#ValidationException',
  message:
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
};

function errorCodeOf(response: QueryResponse): string {
  const parsed = parseWith(ErrorBodySchema, JSON.parse(response.body));
  if (!parsed.ok) throw new Error(`not an error body: ${response.body}`);
  return parsed.value.error.code;
}

beforeAll(async () => {
  stack = await useTestStack({
    name: 'hostile-cursor',
    resources: { activeSessionShards: SHARDS },
  });
  const items = ['sess-0001', 'sess-0002', 'sess-0003'].map((sessionId, i) =>
    activeSessionItem({ siteId: SITE, sessionId, shard: i % SHARDS, nowMs }),
  );
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, items);
  api = queryApiOnTables(stack.clients.dynamodb, stack.names.tables, {
    shardCount: SHARDS,
    nowMs,
    logError: (error) => logged.push(error),
  });
});

afterAll(() => stack.dispose());

describe('GET /sessions/active with hostile cursors', () => {
  it('refuses a position of 1,024 characters but 3,072 bytes with 400 invalid_cursor', async () => {
    const response = await getWithCursor(encodeCursor({ siteId: SITE, after: '€'.repeat(1024) }));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: {
        code: 'invalid_cursor',
        message: expect.stringMatching(/3072 bytes.*at most 1024/),
      },
    });
  });

  it('refuses a position with a lone surrogate (not representable in UTF-8)', async () => {
    const response = await getWithCursor(forged({ v: 1, site: SITE, after: 'sess-\ud800' }));

    expect(response.statusCode).toBe(400);
    expect(errorCodeOf(response)).toBe('invalid_cursor');
  });

  it('refuses a cursor of another site, even a well-formed one', async () => {
    const response = await getWithCursor(encodeCursor({ siteId: 'site-b', after: 'sess-0001' }));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: { code: 'invalid_cursor', message: expect.stringMatching(/another site/) },
    });
  });

  it('accepts a position at exactly 1,024 bytes (the limit is inclusive)', async () => {
    const response = await getWithCursor(encodeCursor({ siteId: SITE, after: 'z'.repeat(1024) }));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ sessions: [] });
  });

  it.each([
    ['a cursor: the client’s mistake, 400 invalid_cursor', true, 400, 'invalid_cursor'],
    ['no cursor: our own bug, 500 (a retry cannot help)', false, 500, 'internal_error'],
  ])('maps a ValidationException on a Query with %s', async (_name, withCursor, status, code) => {
    const faults = installFaultInjector([stack.clients.dynamodb]);
    try {
      faults.add({ operation: 'Query', fault: validationException, times: 1 });

      const response = await api({
        method: 'GET',
        path: '/sessions/active',
        query: {
          siteId: SITE,
          ...(withCursor ? { cursor: encodeCursor({ siteId: SITE, after: 'sess-0001' }) } : {}),
        },
        grantedSiteId: SITE,
      });

      expect(faults.injections).toHaveLength(1);
      expect(response.statusCode).toBe(status);
      expect(errorCodeOf(response)).toBe(code);
    } finally {
      faults.uninstall();
      logged.length = 0;
    }
  });

  it('answers 200 or 400 for any cursor string, never a 5xx', async () => {
    const after = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 1100 }),
      fc.string({ unit: 'grapheme', minLength: 300, maxLength: 1100 }),
      fc.string({ unit: fc.constantFrom('€', '𝄞', 'a', '\ud800', '\udfff', '\u0000') }),
      fc.constantFrom('sess-0001', 'sess-0002', ''),
    );
    const site = fc.constantFrom(SITE, 'site-b', '', 'SITE-A');
    const cursor = fc.oneof(
      fc.record({ siteId: site, after }).map((position) => encodeCursor(position)),
      fc.record({ v: fc.oneof(fc.constant(1), fc.jsonValue()), site, after }).map(forged),
      fc.jsonValue().map(forged),
      fc.string({ unit: 'binary', maxLength: 2000 }),
      fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_=+/'), maxLength: 600 }),
    );

    await fc.assert(
      fc.asyncProperty(cursor, async (hostile) => {
        const response = await getWithCursor(hostile);
        expect([200, 400]).toContain(response.statusCode);
        if (response.statusCode === 400) expect(errorCodeOf(response)).toBe('invalid_cursor');
      }),
      { numRuns: 300 },
    );
    expect(logged).toEqual([]);
  });
});
