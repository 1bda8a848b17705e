/**
 * Every EMF document the processor emits, validated against the EMF specification: a batch that
 * exercises every metric (several sites, minutes, bots, expiries, malformed records).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { SITE_METRIC_NAMES, PROCESSOR_METRIC_NAMES } from '../../schemas/business-metrics';
import type { BadRowWriter } from '../../handlers/processor/bad-row-writer';
import { createStreamBatchHandler } from '../../handlers/processor/stream-batch-handler';
import {
  MINUTE,
  TABLES,
  activeSessionItemAt,
  recentT0,
  sessionItemAt,
  streamArn,
  streamRecord,
} from '../../handlers/processor/__fixtures__/stream-events';
import { EMF_LIMITS, parseEmfLine } from './emf-document';

const T0 = recentT0();
const SITES = ['shop-a', 'shop-b', 'blog-c', 'docs-d', 'news-e'];

function varietyBatch(): unknown[] {
  const records: unknown[] = [];
  SITES.forEach((siteId, s) => {
    for (let n = 0; n < 40; n += 1) {
      const sessionId = `sess_${siteId}_${String(n).padStart(4, '0')}`;
      const isBot = n % 10 === 0;
      const first = [{ seq: 0, at: n * 7_000, siteId, sessionId, isBot }];
      const more = [
        ...first,
        {
          seq: 1,
          at: n * 7_000 + 30_000,
          siteId,
          sessionId,
          isBot,
          type: 'engagement' as const,
          engagedMs: 8_000,
        },
        {
          seq: 2,
          at: n * 7_000 + (s + 2) * MINUTE,
          siteId,
          sessionId,
          isBot,
          type: 'custom' as const,
          name: 'cta',
        },
      ];
      const before = sessionItemAt(T0, first, 1);
      const after = sessionItemAt(T0, more, 2);
      records.push(
        streamRecord({
          table: TABLES.sessions,
          eventName: 'INSERT',
          newImage: before,
          createdAt: T0 + n * 7_000,
        }),
        streamRecord({
          table: TABLES.sessions,
          eventName: 'MODIFY',
          oldImage: before,
          newImage: after,
          createdAt: after.lastSeen + 1_000,
        }),
      );
      if (n % 4 === 0) {
        const expired = activeSessionItemAt(T0 - 40 * MINUTE, n % 8 === 0 ? first : more);
        records.push(
          streamRecord({
            table: TABLES.activeSessions,
            eventName: 'REMOVE',
            oldImage: expired,
            createdAt: expired.expiresAt * 1000 + 5_000,
            ttl: true,
          }),
        );
      }
    }
  });
  const malformed: DynamoDBRecord = streamRecord({
    table: 'not-ours',
    eventName: 'INSERT',
    newImage: sessionItemAt(T0, [{ seq: 0, at: 0 }]),
    createdAt: T0,
  });
  malformed.eventSourceARN = streamArn('not-ours');
  records.push(malformed);
  return records;
}

const noBadRowFailures: BadRowWriter = { write: () => Promise.resolve(new Set<number>()) };

async function emittedDocuments(): Promise<string[]> {
  const written: string[] = [];
  const handler = createStreamBatchHandler({
    tables: TABLES,
    namespace: 'LiveInsight',
    badRows: noBadRowFailures,
    metrics: {
      target: 'memory',
      write: (documents) => {
        written.push(...documents);
        return Promise.resolve();
      },
    },
  });
  await handler({ Records: varietyBatch() });
  return written;
}

describe('EMF documents of the processor', () => {
  let documents: string[];
  beforeAll(async () => {
    documents = await emittedDocuments();
  });

  it('emits every business metric and the error metric at least once in this batch', () => {
    const names = new Set(
      documents.flatMap((line) => {
        const parsed = parseEmfLine(line);
        return parsed.ok
          ? parsed.document.directives.flatMap((d) => d.metrics.map((m) => m.name))
          : [];
      }),
    );
    expect([...names].sort()).toEqual([...SITE_METRIC_NAMES, ...PROCESSOR_METRIC_NAMES].sort());
  });

  it('emits only documents that satisfy the EMF specification', () => {
    const invalid = documents
      .map((line) => ({ line, parsed: parseEmfLine(line) }))
      .filter(({ parsed }) => !parsed.ok);
    expect(invalid).toEqual([]);
  });

  it('defines exactly the metrics whose values it carries, at most 100, in namespace LiveInsight', () => {
    for (const line of documents) {
      const root = JSON.parse(line) as Record<string, unknown> & {
        _aws: {
          Timestamp: number;
          CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[];
        };
      };
      const [directive, ...others] = root._aws.CloudWatchMetrics;
      expect(others).toEqual([]);
      expect(directive?.Namespace).toBe('LiveInsight');
      const defined = (directive?.Metrics ?? []).map((m) => m.Name).sort();
      const carried = Object.keys(root)
        .filter((key) => key !== '_aws' && key !== 'Site')
        .sort();
      expect(defined).toEqual(carried);
      expect(defined.length).toBeLessThanOrEqual(EMF_LIMITS.maxMetricsPerDirective);
    }
  });

  it('uses only the dimension sets [Site] and [] — no library defaults, no ids or URLs', () => {
    for (const line of documents) {
      const root = JSON.parse(line) as {
        _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
        LogGroup?: unknown;
        ServiceName?: unknown;
        ServiceType?: unknown;
      };
      const dimensions = root._aws.CloudWatchMetrics[0]?.Dimensions;
      expect([JSON.stringify([['Site'], []]), JSON.stringify([[]])]).toContain(
        JSON.stringify(dimensions),
      );
      expect(root.LogGroup ?? root.ServiceName ?? root.ServiceType).toBeUndefined();
    }
  });

  it('stamps each document at the start of a minute, in epoch milliseconds', () => {
    for (const line of documents) {
      const timestamp = (JSON.parse(line) as { _aws: { Timestamp: number } })._aws.Timestamp;
      expect(Number.isInteger(timestamp) && timestamp % MINUTE === 0).toBe(true);
      expect(Math.abs(timestamp - Date.now())).toBeLessThan(2 * 60 * MINUTE);
    }
  });
});
