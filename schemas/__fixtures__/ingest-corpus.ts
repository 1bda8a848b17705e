/** Good and bad `POST /events` bodies, each with the field a rejection must name. */
import type { IngestRequest, TrackerEvent } from '../ingest';

export function pageview(overrides: Partial<TrackerEvent> = {}): TrackerEvent {
  return {
    eventId: 'evt_0123456789abcdef',
    sessionId: 'sess_01234567',
    seq: 0,
    type: 'pageview',
    ts: 1_763_000_000_000,
    url: 'https://shop.example.com/products/1?utm_source=news',
    referrer: 'https://www.google.com/',
    title: 'Product 1',
    screen: { w: 1440, h: 900 },
    lang: 'en-GB',
    ...overrides,
  } as TrackerEvent;
}

export function request(events: unknown[], siteId: unknown = 'demo-shop'): IngestRequest {
  return { siteId, events } as IngestRequest;
}

export interface CorpusCase {
  readonly name: string;
  readonly body: unknown;
  /** `undefined` = valid; otherwise the field the first issue must name. */
  readonly badField?: string;
}

const many = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    pageview({ seq: i, eventId: `evt_${String(i).padStart(16, '0')}` }),
  );

export const INGEST_CORPUS: readonly CorpusCase[] = [
  { name: 'one pageview', body: request([pageview()]) },
  {
    name: 'minimal pageview',
    body: request([
      {
        eventId: 'e'.repeat(16),
        sessionId: 's'.repeat(8),
        seq: 0,
        type: 'pageview',
        ts: 0,
        url: 'http://a.b',
      },
    ]),
  },
  {
    name: 'engagement',
    body: request([pageview({ type: 'engagement', engagedMs: 5000 } as Partial<TrackerEvent>)]),
  },
  {
    name: 'custom with props',
    body: request([
      pageview({
        type: 'custom',
        name: 'signup',
        props: { plan: 'pro', seats: 3, trial: true },
      } as Partial<TrackerEvent>),
    ]),
  },
  { name: '500 events', body: request(many(500)) },
  { name: 'empty referrer', body: request([pageview({ referrer: '' })]) },
  { name: '501 events', body: request(many(501)), badField: 'events' },
  { name: 'no events', body: request([]), badField: 'events' },
  { name: 'siteId upper case', body: request([pageview()], 'Demo'), badField: 'siteId' },
  { name: 'siteId missing', body: { events: [pageview()] }, badField: 'siteId' },
  {
    name: 'unknown top-level field',
    body: { ...request([pageview()]), extra: 1 },
    badField: 'extra',
  },
  {
    name: 'eventId too short',
    body: request([pageview({ eventId: 'short' })]),
    badField: 'events[0].eventId',
  },
  {
    name: 'eventId with spaces',
    body: request([pageview({ eventId: 'has spaces in the id!' })]),
    badField: 'events[0].eventId',
  },
  {
    name: 'seq as string',
    body: request([pageview({ seq: '1' as unknown as number })]),
    badField: 'events[0].seq',
  },
  { name: 'seq negative', body: request([pageview({ seq: -1 })]), badField: 'events[0].seq' },
  { name: 'seq fractional', body: request([pageview({ seq: 1.5 })]), badField: 'events[0].seq' },
  {
    name: 'ts missing',
    body: request([{ ...pageview(), ts: undefined }]),
    badField: 'events[0].ts',
  },
  {
    name: 'url not http',
    body: request([pageview({ url: 'javascript:alert(1)' })]),
    badField: 'events[0].url',
  },
  {
    name: 'url too long',
    body: request([pageview({ url: `https://a.b/${'x'.repeat(2100)}` })]),
    badField: 'events[0].url',
  },
  {
    name: 'unknown type',
    body: request([pageview({ type: 'click' } as unknown as Partial<TrackerEvent>)]),
    badField: 'events[0].type',
  },
  {
    name: 'engagement without engagedMs',
    body: request([pageview({ type: 'engagement' } as Partial<TrackerEvent>)]),
    badField: 'events[0].engagedMs',
  },
  {
    name: 'engagement with scrollDepth',
    body: request([
      pageview({ type: 'engagement', engagedMs: 1200, scrollDepth: 75 } as Partial<TrackerEvent>),
    ]),
  },
  {
    name: 'scrollDepth over 100',
    body: request([
      pageview({ type: 'engagement', engagedMs: 0, scrollDepth: 101 } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].scrollDepth',
  },
  {
    name: 'scrollDepth not an integer',
    body: request([
      pageview({ type: 'engagement', engagedMs: 0, scrollDepth: 12.5 } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].scrollDepth',
  },
  {
    name: 'pageview with scrollDepth',
    body: request([{ ...pageview(), scrollDepth: 10 }]),
    badField: 'events[0].scrollDepth',
  },
  { name: 'automation on a pageview', body: request([pageview({ automation: true })]) },
  {
    name: 'automation not a boolean',
    body: request([pageview({ automation: 'yes' } as unknown as Partial<TrackerEvent>)]),
    badField: 'events[0].automation',
  },
  {
    name: 'custom without name',
    body: request([pageview({ type: 'custom' } as Partial<TrackerEvent>)]),
    badField: 'events[0].name',
  },
  {
    name: 'pageview with engagedMs',
    body: request([{ ...pageview(), engagedMs: 1 }]),
    badField: 'events[0].engagedMs',
  },
  {
    name: 'props nested object',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: { a: { b: 1 } },
      } as unknown as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.a',
  },
  {
    name: '31 props',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])),
      } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props',
  },
  {
    name: 'prop key with space',
    body: request([
      pageview({ type: 'custom', name: 'x', props: { 'a b': 1 } } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.a b',
  },
  {
    name: 'prop string too long',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: { a: 'x'.repeat(501) },
      } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.a',
  },
  {
    // JSON.parse makes `__proto__` an own key, as the edge and the consumer parse it.
    name: 'props keys named like Object.prototype members',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: JSON.parse(
          '{"constructor": 1, "__proto__": "p", "toString": true, "hasOwnProperty": "h", "valueOf": 0}',
        ) as Record<string, number>,
      } as Partial<TrackerEvent>),
    ]),
  },
  {
    name: 'prop key of 64 characters, numbers at the limits DynamoDB holds',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: { ['k'.repeat(64)]: 1e125, b: -1e125, 'c.d:e-f_g': 1e-130, h: -1e-130, i: 0 },
      } as Partial<TrackerEvent>),
    ]),
  },
  {
    name: 'prop key of 65 characters',
    body: request([
      pageview({
        type: 'custom',
        name: 'x',
        props: { ['k'.repeat(65)]: 1 },
      } as Partial<TrackerEvent>),
    ]),
    badField: `events[0].props.${'k'.repeat(65)}`,
  },
  {
    name: 'prop key not ASCII',
    body: request([
      pageview({ type: 'custom', name: 'x', props: { 'prix€': 1 } } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.prix€',
  },
  {
    name: 'prop number too large for DynamoDB',
    body: request([
      pageview({ type: 'custom', name: 'x', props: { a: 1e126 } } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.a',
  },
  {
    name: 'prop number too small for DynamoDB',
    body: request([
      pageview({ type: 'custom', name: 'x', props: { a: -5e-324 } } as Partial<TrackerEvent>),
    ]),
    badField: 'events[0].props.a',
  },
  {
    name: 'screen negative',
    body: request([pageview({ screen: { w: -1, h: 1 } })]),
    badField: 'events[0].screen.w',
  },
  { name: 'event is a string', body: request(['pageview']), badField: 'events[0]' },
  { name: 'body is an array', body: [pageview()], badField: '(root)' },
  { name: 'body is null', body: null, badField: '(root)' },
];
