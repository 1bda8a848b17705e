import { parseShardPlan } from '../schemas/shard-plan';
import { siteDaySplit } from './site-day-index';
import {
  ActiveSessionItemSchema,
  EnrichedEventSchema,
  BadRowItemSchema,
  EventItemSchema,
  SessionItemSchema,
  isValid,
} from '../schemas';
import { makeBadRow } from './bad-rows';
import { PipelineArgumentError } from './errors';
import {
  BAD_ROW_BUCKETS,
  activeSessionShard,
  sessionStateOf,
  toActiveSessionItem,
  toBadRowItem,
  toEventItem,
  toSessionItem,
} from './items';
import { foldEvents } from './session-aggregate';
import { RECEIVED_AT } from './__fixtures__/edge-records';
import { enrichedEvent } from './__fixtures__/enriched-events';
import { SHARD_ID, STREAM_ARN, sequenceNumber } from './__fixtures__/kinesis-records';

const DAY = 86_400;
const seconds = (ms: number) => Math.floor(ms / 1000);
const state = foldEvents([
  enrichedEvent({ seq: 0, path: '/landing' }),
  enrichedEvent({ seq: 1, type: 'engagement', engagedMs: 2_000 }),
  enrichedEvent({ seq: 2, path: '/checkout' }),
]);

describe('Events item', () => {
  it('is keyed by session and eventId and expires 90 days after receipt', () => {
    // Prepare
    const event = enrichedEvent();

    // Act
    const item = toEventItem(event);

    // Assess
    expect(item).toMatchObject({
      pk: 'demo-shop#sess_01234567',
      sk: event.eventId,
      expiresAt: seconds(event.receivedAt) + 90 * DAY,
    });
    expect(isValid(EventItemSchema, item)).toBe(true);
  });

  it('carries every field of the enriched event schema, each with the event value', () => {
    const event = enrichedEvent({
      type: 'custom',
      referrer: 'https://www.google.com/',
      title: 'Checkout',
      name: 'signup',
      props: { plan: 'pro' },
      engagedMs: 1,
      screen: { w: 390, h: 844 },
      lang: 'de-DE',
    });

    const item = toEventItem(event);

    for (const field of Object.keys(EnrichedEventSchema.properties)) {
      expect([field, item[field as keyof typeof item]]).toEqual([
        field,
        event[field as keyof typeof event],
      ]);
    }
  });

  it('gives every item the same fields, absent optional ones undefined (dropped by JSON)', () => {
    const bare = toEventItem(enrichedEvent());

    expect(Object.keys(bare).sort()).toEqual(
      [...Object.keys(EnrichedEventSchema.properties), 'pk', 'sk', 'expiresAt'].sort(),
    );
    expect(JSON.parse(JSON.stringify(bare))).not.toHaveProperty('props');
  });
});

describe('Sessions item', () => {
  it('carries the state, the version, the site-day index key and a 90-day TTL after last activity', () => {
    const item = toSessionItem(state, 3);

    expect(item).toMatchObject({
      pk: 'demo-shop#sess_01234567',
      siteDay: `demo-shop#2025-11-13#${siteDaySplit('sess_01234567')}`,
      version: 3,
      expiresAt: seconds(state.lastSeen) + 90 * DAY,
    });
    expect(isValid(SessionItemSchema, item)).toBe(true);
    expect(sessionStateOf(item)).toEqual(state);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses version %p', (version) => {
    expect(() => toSessionItem(state, version)).toThrow(PipelineArgumentError);
  });
});

describe('ActiveSessions item', () => {
  it('projects the session for the realtime view, expiring 30 minutes after last activity', () => {
    const item = toActiveSessionItem(state, 4);

    expect(item).toMatchObject({
      pk: `demo-shop#${activeSessionShard('sess_01234567', 4)}`,
      sk: 'sess_01234567',
      entryPage: '/landing',
      currentPage: '/checkout',
      pageviews: 2,
      events: 3,
      customEvents: 0,
      engagedMs: 2_000,
      expiresAt: seconds(state.lastSeen) + 1_800,
    });
    expect(isValid(ActiveSessionItemSchema, item)).toBe(true);
  });

  it('uses empty pages for a session without a page view', () => {
    const pings = foldEvents([enrichedEvent({ type: 'engagement', engagedMs: 1 })]);

    expect(toActiveSessionItem(pings, 1)).toMatchObject({ entryPage: '', currentPage: '' });
  });

  it('spreads sessions over every shard, always the same shard for one session', () => {
    const shards = Array.from({ length: 400 }, (_, i) => activeSessionShard(`sess_${i}_abcdef`, 8));

    expect(new Set(shards)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(activeSessionShard('sess_7_abcdef', 8)).toBe(shards[7]);
  });

  it('puts a site with its own count in the plan on that many shards, others on the default', () => {
    const plan = parseShardPlan(4, { 'demo-shop': { activeSessionShards: 64, rollupKeys: 32 } });
    const shards = new Set(
      Array.from(
        { length: 2000 },
        (_, i) => toActiveSessionItem({ ...state, sessionId: `sess_${i}_abcdef` }, plan).pk,
      ),
    );
    expect(shards.size).toBe(64);
    expect(toActiveSessionItem({ ...state, siteId: 'blog' }, plan).pk).toBe(
      `blog#${activeSessionShard(state.sessionId, 4)}`,
    );
  });

  it.each([0, 65, 2.5])('refuses shard count %p', (shardCount) => {
    expect(() => toActiveSessionItem(state, shardCount)).toThrow(
      /shardCount is .* \(expected an integer from 1 to 64\)/,
    );
  });
});

describe('BadRows item', () => {
  const origin = {
    kind: 'kinesis' as const,
    streamArn: STREAM_ARN,
    shardId: SHARD_ID,
    sequenceNumber: sequenceNumber(42),
    arrivedAt: RECEIVED_AT,
    partitionKey: 'sess_01234567',
  };
  const row = makeBadRow('not_json', 'The record is not JSON', origin, {
    base64: 'e30=',
    bytes: 2,
  });

  it('is keyed by arrival day, a bucket and the stream position, so a redelivery overwrites it', () => {
    const item = toBadRowItem(row);

    expect(item.pk).toMatch(new RegExp(`^2025-11-13#[0-${BAD_ROW_BUCKETS - 1}]$`));
    expect(item.sk).toBe(`kinesis#${SHARD_ID}#${sequenceNumber(42)}`);
    expect(item.expiresAt).toBe(seconds(RECEIVED_AT) + 30 * DAY);
    expect(toBadRowItem({ ...row, message: 'again' }).pk).toBe(item.pk);
    expect(isValid(BadRowItemSchema, item)).toBe(true);
  });

  it('keys a DynamoDB stream record by its event id', () => {
    const item = toBadRowItem({
      ...row,
      reason: 'malformed_stream_record',
      origin: {
        kind: 'dynamodb-stream',
        streamArn: 'arn:s',
        eventId: 'ev-1',
        sequenceNumber: '77',
        arrivedAt: RECEIVED_AT,
      },
    });

    expect(item.sk).toBe('dynamodb-stream#ev-1#77');
  });

  it('spreads a day of bad rows over all buckets', () => {
    const buckets = new Set(
      Array.from(
        { length: 200 },
        (_, i) =>
          toBadRowItem({ ...row, origin: { ...origin, sequenceNumber: sequenceNumber(i) } }).pk,
      ),
    );

    expect(buckets.size).toBe(BAD_ROW_BUCKETS);
  });
});
