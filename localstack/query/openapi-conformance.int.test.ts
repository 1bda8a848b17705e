/**
 * openapi.json against the running local edge: real requests to the ingest and query APIs, and
 * every answer's status must be documented for its operation and its body must match the
 * documented schema (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 defines it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  activeSessionItem,
  seedActiveSessions,
} from '../../handlers/query/__fixtures__/active-session-items';
import { EVENTS_METHOD_THROTTLE, USAGE_PLAN_TIERS } from '../../infra/api/ingest-api-spec';
import { failRecords } from '../edge/test-support/fail-records';
import { useTestStack, type TestStack } from '../testing/use-test-stack';
import { startQueryEdge, type QueryEdge } from './test-support/query-edge';

interface Operation {
  responses: Record<string, { content?: { 'application/json'?: { schema: { $ref: string } } } }>;
}
const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const ajv = new Ajv2020({ strict: false, discriminator: true, allErrors: true });
ajv.addSchema(document, 'openapi');

let stack: TestStack;
let q: QueryEdge;
const checked: string[] = [];

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Sends the request and checks the answer against the document; returns status and body. */
async function conforming(call: Call): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${q.url}${call.path}${call.query ?? ''}`, {
    method: call.method,
    headers: call.headers ?? {},
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  const operation = document.paths[call.path]?.[call.method.toLowerCase()];
  if (operation === undefined)
    throw new Error(`${call.method} ${call.path} is not in openapi.json`);
  const documented = operation.responses[String(response.status)];
  if (documented === undefined) {
    throw new Error(
      `${call.method} ${call.path} answered ${response.status} ${text.slice(0, 200)}, which openapi.json does not document (documented: ${Object.keys(operation.responses).join(', ')})`,
    );
  }
  const ref = documented.content?.['application/json']?.schema.$ref;
  if (ref !== undefined) {
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const validate = ajv.getSchema(`openapi${ref}`);
    if (validate === undefined) throw new Error(`openapi.json has no ${ref}`);
    if (!validate(body)) {
      throw new Error(
        `${call.method} ${call.path} ${response.status} body does not match ${ref}: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 300)}`,
      );
    }
  }
  checked.push(`${call.method} ${call.path} ${response.status}`);
  return { status: response.status, body };
}

function pageview(i: number, sessionId = 'conformance-session-1') {
  return {
    eventId: `conformance-event-${String(i).padStart(4, '0')}`,
    sessionId,
    seq: i,
    type: 'pageview',
    ts: Date.now(),
    url: `https://shop.example.com/p/${i}`,
  };
}

function post(ingestKey: string, body: unknown, contentType = 'application/json'): Call {
  return {
    method: 'POST',
    path: '/events',
    query: `?key=${encodeURIComponent(ingestKey)}`,
    headers: {
      'content-type': contentType,
      'user-agent': 'conformance/1.0',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function read(path: string, query: string, token?: string): Call {
  return {
    method: 'GET',
    path,
    query,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  };
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'openapi-conformance' });
  const nowMs = Date.now();
  await seedActiveSessions(
    stack.clients.dynamodb,
    stack.names.tables.activeSessions,
    Array.from({ length: 7 }, (_, i) =>
      activeSessionItem({
        siteId: 'site-a',
        sessionId: `conf-${i}`,
        shard: i % 4,
        nowMs,
        isBot: i === 6,
      }),
    ),
  );
  q = await startQueryEdge(stack);
  // GET /realtime reads the rollup's counters, which follow the seeded table through its stream.
  await q.waitForRealtime(
    'site-a',
    (answer) => answer.activeSessions === 6 && answer.bots.sessions === 1,
  );
});

afterAll(async () => {
  await q.stop();
  await stack.dispose();
});

describe('openapi.json matches the running local edge', () => {
  it('POST /events: 200, 207, 400, 403, 413, 415', async () => {
    const { a, b } = q.sites;
    expect(
      (await conforming(post(a.ingestKey, { siteId: a.siteId, events: [pageview(0)] }))).status,
    ).toBe(200);
    const partial = failRecords(q.edge.kinesis, (_record, index) => index === 1);
    try {
      const answer = await conforming(
        post(a.ingestKey, { siteId: a.siteId, events: [pageview(1), pageview(2)] }),
      );
      expect(answer).toMatchObject({
        status: 207,
        body: { accepted: 1, failed: [{ index: 1 }] },
      });
    } finally {
      partial.uninstall();
    }
    expect(
      (
        await conforming(
          post(a.ingestKey, { siteId: a.siteId, events: [{ ...pageview(3), seq: 'x' }] }),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await conforming(
          post('li_site-a_00000000000000000000000000000000', {
            siteId: a.siteId,
            events: [pageview(4)],
          }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await conforming(post(a.ingestKey, { siteId: b.siteId, events: [pageview(5)] }))).status,
    ).toBe(403);
    // Valid against the model, over the 1 MB contract limit: 500 events of about 2.7 KB.
    const big = {
      siteId: a.siteId,
      events: Array.from({ length: 500 }, (_, i) => ({
        ...pageview(100 + i, 'conformance-session-big'),
        url: `https://shop.example.com/${'p'.repeat(2000)}`,
        title: 't'.repeat(500),
      })),
    };
    expect((await conforming(post(a.ingestKey, big))).status).toBe(413);
    expect(
      (
        await conforming(
          post(a.ingestKey, { siteId: a.siteId, events: [pageview(7)] }, 'application/xml'),
        )
      ).status,
    ).toBe(415);
  });

  it('POST /events: 429 with Retry-After when the stage throttles', async () => {
    const throttled = await startQueryEdge(stack, {
      limits: {
        tiers: USAGE_PLAN_TIERS,
        methodThrottle: { ...EVENTS_METHOD_THROTTLE, rateLimit: 0.001, burstLimit: 1 },
      },
    });
    const saved = q;
    q = throttled;
    try {
      const { a } = throttled.sites;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push(
          (
            await conforming(
              post(a.ingestKey, {
                siteId: a.siteId,
                events: [pageview(10 + i, 'conformance-session-2')],
              }),
            )
          ).status,
        );
      }
      expect(statuses).toContain(429);
    } finally {
      q = saved;
      await throttled.stop();
    }
  });

  it('GET /realtime: 200, 401, 403', async () => {
    const { a, b } = q.sites;
    const ok = await conforming(read('/realtime', '?siteId=site-a', a.readToken));
    expect(ok).toMatchObject({ status: 200, body: { activeSessions: 6, bots: { sessions: 1 } } });
    expect((await conforming(read('/realtime', '?siteId=site-a'))).status).toBe(401);
    expect((await conforming(read('/realtime', '?siteId=site-a', b.readToken))).status).toBe(403);
  });

  it('GET /sessions/active: 200 with cursors, 400, 401, 403', async () => {
    const { a, b } = q.sites;
    const first = await conforming(read('/sessions/active', '?siteId=site-a&limit=4', a.readToken));
    const cursor = (first.body as { nextCursor?: string }).nextCursor ?? '';
    const second = await conforming(
      read(
        '/sessions/active',
        `?siteId=site-a&limit=4&cursor=${encodeURIComponent(cursor)}`,
        a.readToken,
      ),
    );
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 200, body: { sessions: expect.any(Array) } });
    expect((second.body as { sessions: unknown[]; nextCursor?: string }).sessions).toHaveLength(3);
    expect(
      (await conforming(read('/sessions/active', '?siteId=site-a&limit=0', a.readToken))).status,
    ).toBe(400);
    expect(
      (await conforming(read('/sessions/active', '?siteId=site-a&cursor=bogus', a.readToken)))
        .status,
    ).toBe(400);
    expect((await conforming(read('/sessions/active', '?siteId=site-a'))).status).toBe(401);
    expect((await conforming(read('/sessions/active', '?siteId=site-a', b.readToken))).status).toBe(
      403,
    );
  });

  it('GET /health: 200 without a token', async () => {
    expect((await conforming(read('/health', ''))).status).toBe(200);
  });

  it('covered every documented status of the query API', () => {
    for (const path of ['/realtime', '/sessions/active']) {
      const documented = Object.keys(document.paths[path]?.['get']?.responses ?? {});
      // 503 (DynamoDB unreachable) is covered in handlers/query/query-faults.int.test.ts.
      const expected = documented.filter(
        (status) => status !== '503' && !(path === '/realtime' && status === '400'),
      );
      for (const status of expected) expect(checked).toContain(`GET ${path} ${status}`);
    }
  });
});
