/**
 * The browser form of POST /events (issue 13): `?key=` and a text/plain body, as sendBeacon and a
 * header-less fetch send it. The same batch as text/plain and as application/json lands as the
 * same records; the key goes through the cached REQUEST authorizer (revocation shows after the
 * deployed TTL, on an injected clock); every answer to an allowed origin carries its CORS
 * headers, 5xx included; a 400 names every bad field.
 */
import { installFaultInjector } from '../../handlers/faults/fault-injector';
import { crash } from '../../handlers/faults/faults';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../infra/api/ingest-api-spec';
import { hashIngestKey } from '../../pipeline/ingest-key';
import { ErrorBodySchema } from '../../schemas/query';
import { SITE_ITEM_SK } from '../../schemas/registry';
import { parseWith } from '../../schemas/validator';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import {
  type Answer,
  type Harness,
  SHOP_ORIGIN,
  events,
  startHarness,
} from './test-support/edge-harness';
import { failRecords } from './test-support/fail-records';

const TEXT = { 'content-type': 'text/plain;charset=UTF-8' };

function errorOf(answer: Answer) {
  const parsed = parseWith(ErrorBodySchema, answer.json);
  if (!parsed.ok) throw new Error(`not the error shape: ${JSON.stringify(answer.json)}`);
  return parsed.value.error;
}

let stack: TestStack;
let edge: Harness;
let now = Date.now();
beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-browser-form' });
  edge = await startHarness(stack, { clock: () => now });
});
afterAll(async () => {
  await edge?.stop();
  await stack?.dispose();
});

it('stores a text/plain batch exactly as the same batch sent as application/json', async () => {
  const batch = events(3);
  const body = { siteId: 'shop', events: batch };

  const asText = await edge.post(body, TEXT);
  const asJson = await edge.post(body);

  expect([asText.status, asJson.status]).toEqual([200, 200]);
  expect(asText.json).toEqual({ accepted: 3 });
  // Everything but the request's own id and time is the same, record for record. Records come
  // back shard by shard (the partition key is the session), so both sides are put in eventId order.
  const strip = async (answer: Answer) =>
    (await edge.recordsOf(answer.requestId))
      .map(({ partitionKey, record }) => ({
        partitionKey,
        ...record,
        requestId: undefined,
        receivedAt: undefined,
      }))
      .sort((a, b) => a.event.eventId.localeCompare(b.event.eventId));
  const fromText = await strip(asText);
  expect(fromText.map((r) => r.event.eventId)).toEqual(batch.map((e) => e.eventId).sort());
  expect(fromText).toEqual(await strip(asJson));
});

it('names every bad field in a 400, for both media types', async () => {
  const [good] = events(1);
  const bad = [{ ...good, seq: 'x', ts: 'y', url: 5, eventId: 7, referrer: false }];

  for (const headers of [TEXT, {}]) {
    const answer = await edge.post({ siteId: 'shop', events: bad }, headers);

    expect(answer.status).toBe(400);
    const details = String(errorOf(answer).details);
    for (const field of ['seq', 'ts', 'url', 'eventId', 'referrer']) {
      expect(details).toContain(`events[0].${field}: expected `);
    }
    expect(details.split('; ')).toHaveLength(5);
  }
});

it('bounds the details: 20 described, the rest counted', async () => {
  const [good] = events(1);
  const bad = Array.from({ length: 30 }, () => ({ ...good, seq: 'x' }));

  const answer = await edge.post({ siteId: 'shop', events: bad }, TEXT);

  const parts = String(errorOf(answer).details).split('; ');
  expect(parts).toHaveLength(21);
  expect(parts[20]).toBe('and 10 more problems');
});

it('refuses the old x-api-key header form with a message naming ?key=', async () => {
  const answer = await edge.post(
    { siteId: 'shop', events: events(1) },
    { 'x-api-key': edge.keys.shop },
    null,
  );

  expect(answer.status).toBe(401);
  expect(errorOf(answer)).toMatchObject({ code: 'unauthorized' });
  expect(errorOf(answer).message).toContain('?key=<ingest key>');
});

it('keeps a revoked key working until the authorizer cache TTL has passed, then refuses it', async () => {
  // The key's answer is cached from earlier requests of this file or this one.
  expect((await edge.post({ siteId: 'shop', events: events(1) })).status).toBe(200);
  const sha256 = hashIngestKey(edge.keys.shop);
  const { key } = await edge.registry.readSiteKey('shop', sha256);
  if (key === undefined) throw new Error('the harness has no shop key');
  edge.registry.putItem({ ...key, status: 'revoked', revokedAt: new Date(now).toISOString() });
  const revokedAt = now;

  try {
    now = revokedAt + AUTHORIZER_CACHE_TTL_SECONDS * 1000 - 1;
    const cached = await edge.post({ siteId: 'shop', events: events(1) });
    now = revokedAt + AUTHORIZER_CACHE_TTL_SECONDS * 1000;
    const expired = await edge.post({ siteId: 'shop', events: events(1) });

    expect(cached.status).toBe(200);
    expect(expired.status).toBe(403);
    expect(errorOf(expired).code).toBe('forbidden');
    expect(await edge.recordsOf(expired.requestId)).toEqual([]);
  } finally {
    edge.registry.putItem(key);
    now += AUTHORIZER_CACHE_TTL_SECONDS * 1000;
  }
});

it('takes a new origin on the allow-list within the TTL, without a redeploy', async () => {
  const origin = 'https://new.shop.example';
  const before = await edge.post({ siteId: 'shop', events: events(1) }, { origin });
  const { site } = await edge.registry.readSiteKey('shop', '');
  if (site === undefined || site.sk !== SITE_ITEM_SK) throw new Error('no shop site item');
  edge.registry.putItem({ ...site, origins: [SHOP_ORIGIN, origin] });

  try {
    now += AUTHORIZER_CACHE_TTL_SECONDS * 1000;
    const after = await edge.post({ siteId: 'shop', events: events(1) }, { origin });

    expect(errorOf(before).code).toBe('origin_not_allowed');
    expect(after.status).toBe(200);
    expect(after.headers.get('access-control-allow-origin')).toBe(origin);
  } finally {
    edge.registry.putItem(site);
    now += AUTHORIZER_CACHE_TTL_SECONDS * 1000;
  }
});

describe('CORS headers on every answer to an allowed origin', () => {
  const origin = { origin: SHOP_ORIGIN };
  const expectCors = (answer: Answer) => {
    expect(answer.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(answer.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(answer.headers.get('vary')).toBe('Origin');
  };

  it('200', async () => {
    const answer = await edge.post({ siteId: 'shop', events: events(2) }, { ...origin, ...TEXT });

    expect(answer.status).toBe(200);
    expectCors(answer);
  });

  it('207', async () => {
    const fault = failRecords(edge.kinesis, (_record, index) => index === 0);
    try {
      const answer = await edge.post({ siteId: 'shop', events: events(2) }, { ...origin, ...TEXT });

      expect(answer.status).toBe(207);
      expectCors(answer);
    } finally {
      fault.uninstall();
    }
  });

  it.each([
    ['400 invalid_request', 'shop', [], 'invalid_request'],
    ["403 site_mismatch (another site's key)", 'other', events(1), 'site_mismatch'],
    ['403 forbidden (a wrong key)', 'wrong', events(1), 'forbidden'],
  ] as const)('%s', async (_name, which, batch, code) => {
    const key = {
      shop: edge.keys.shop,
      other: edge.keys.other,
      wrong: 'li_shop_WrongKeyWrongKeyWrongKeyWrongKey',
    }[which];

    const answer = await edge.post({ siteId: 'shop', events: batch }, { ...origin, ...TEXT }, key);

    expect(errorOf(answer).code).toBe(code);
    expectCors(answer);
  });

  it('503 stream_unavailable', async () => {
    const faults = installFaultInjector([edge.kinesis]);
    faults.add({ operation: 'PutRecords', fault: crash(), times: 1 });
    try {
      const answer = await edge.post({ siteId: 'shop', events: events(1) }, { ...origin, ...TEXT });

      expect(answer.status).toBe(503);
      expectCors(answer);
    } finally {
      faults.uninstall();
    }
  });

  it('503 key_check_unavailable when the registry cannot be read (nothing cached)', async () => {
    const broken = await startHarness(stack, {
      wrapRegistry: () => ({
        readSiteKey: () => Promise.reject(new Error('injected: registry unreachable')),
      }),
    });
    try {
      const answer = await broken.post(
        { siteId: 'shop', events: events(1) },
        { ...origin, ...TEXT },
      );

      expect(answer.status).toBe(503);
      expect(errorOf(answer)).toMatchObject({ code: 'key_check_unavailable' });
      expect(answer.headers.get('retry-after')).toBe('1');
      expectCors(answer);
    } finally {
      await broken.stop();
    }
  });

  it('but none for an origin off the list: 403 origin_not_allowed, nothing stored', async () => {
    const answer = await edge.post(
      { siteId: 'shop', events: events(1) },
      { origin: 'https://evil.example', ...TEXT },
    );

    expect(errorOf(answer).code).toBe('origin_not_allowed');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(await edge.recordsOf(answer.requestId)).toEqual([]);
  });
});

it('keeps the key out of the access log (the keyId names it)', () => {
  const log = edge.accessLog.join('\n');

  expect(log).not.toContain(edge.keys.shop);
  expect(log).toContain('"apiKeyId":"k_');
});

it('reads the registry once per key and TTL, not per request', async () => {
  now += AUTHORIZER_CACHE_TTL_SECONDS * 1000;
  const before = edge.registry.reads();

  for (let i = 0; i < 3; i++) await edge.post({ siteId: 'shop', events: events(1) }, TEXT);

  expect(edge.registry.reads() - before).toBe(1);
});
