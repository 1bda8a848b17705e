/**
 * The rollup batch handler's own decisions, with the table port answering from memory: which
 * records a found marker skips, and the stream contracts it refuses to guess around.
 */
import {
  activeSessionItemAt,
  recentT0,
  streamEvent,
  streamRecord,
} from '../processor/__fixtures__/stream-events';
import type { ChunkOutcome, RollupChunk } from '../adapters/dynamo-realtime-rollups';
import { RollupContractError } from '../adapters/dynamo-realtime-rollups';
import { MAX_BUCKETS_PER_CHUNK, MAX_CELLS_PER_BUCKET } from '../adapters/dynamo-realtime-rollups';
import { mergeInto, type SiteDelta } from '../../pipeline/realtime/rollup';
import { InvalidInvocationError } from '../dynamodb-stream/stream-batch';
import { createRollupBatchHandler, cutChunk, type RecordDelta } from './rollup-batch';

const TABLE = 'p-active-sessions';

function insert(sequenceNumber: string, t0: number) {
  return streamRecord({
    table: TABLE,
    eventName: 'INSERT',
    newImage: activeSessionItemAt(t0, [{ seq: 0, at: 0 }]),
    createdAt: t0,
    sequenceNumber,
  });
}

function handlerAnswering(answer: (chunk: RollupChunk) => ChunkOutcome) {
  const chunks: RollupChunk[] = [];
  const handler = createRollupBatchHandler({
    rollups: {
      applyChunk: async (chunk) => {
        chunks.push(chunk);
        return answer(chunk);
      },
    },
    activeSessionsTable: TABLE,
    log: () => undefined,
  });
  return { handler, chunks };
}

describe('rollup batch handler', () => {
  it('throws naming the rollup when invoked with something that is not a stream event', async () => {
    const { handler, chunks } = handlerAnswering(() => ({
      kind: 'applied',
      buckets: 0,
      dropped: [],
    }));

    const invocation = handler({ records: [] });

    await expect(invocation).rejects.toThrow(InvalidInvocationError);
    await expect(invocation).rejects.toThrow(
      /^The rollup was invoked without a DynamoDB stream event/,
    );
    expect(chunks).toEqual([]);
  });

  it('skips exactly the records a found marker covers', async () => {
    const t0 = recentT0();
    const records = [
      insert('000000000000000000010', t0),
      insert('000000000000000000020', t0),
      insert('000000000000000000030', t0),
    ];
    // An earlier delivery applied a chunk of the first two records.
    const { handler, chunks } = handlerAnswering((chunk) =>
      chunk.firstEventId === records[0]?.eventID
        ? { kind: 'already-applied', lastSequence: '000000000000000000020' }
        : { kind: 'applied', buckets: 1, dropped: [] },
    );

    const answer = await handler(streamEvent(...records));

    expect(answer.batchItemFailures).toEqual([]);
    // The first cut (all three) was found applied up to 20; only 30 was cut again and applied.
    expect(chunks.map((chunk) => [chunk.firstEventId, chunk.lastSequence])).toEqual([
      [records[0]?.eventID, '000000000000000000030'],
      [records[2]?.eventID, '000000000000000000030'],
    ]);
  });

  it('refuses a marker that covers less than its own first record instead of looping', async () => {
    const t0 = recentT0();
    const { handler } = handlerAnswering(() => ({
      kind: 'already-applied',
      lastSequence: '000000000000000000001',
    }));

    await expect(handler(streamEvent(insert('000000000000000000010', t0)))).rejects.toThrow(
      RollupContractError,
    );
  });

  it('refuses a sequence number that is not decimal digits', async () => {
    const t0 = recentT0();
    const { handler, chunks } = handlerAnswering(() => ({
      kind: 'applied',
      buckets: 1,
      dropped: [],
    }));

    await expect(handler(streamEvent(insert('shardId-7:42', t0)))).rejects.toThrow(
      /SequenceNumber "shardId-7:42" \(expected decimal digits\)/,
    );
    expect(chunks).toHaveLength(0);
  });

  describe('cutting chunks', () => {
    let sequence = 0;
    function record(siteId: string, cells: Record<number, Record<string, number>>): RecordDelta {
      sequence += 1;
      const delta: SiteDelta = new Map(
        Object.entries(cells).map(([minute, named]) => [
          Number(minute),
          new Map(Object.entries(named)),
        ]),
      );
      return { eventId: `e-${sequence}`, sequenceNumber: String(sequence), siteId, delta };
    }

    /** The limits a set of deltas is under, counted from scratch (copying, as a reference). */
    function withinLimits(records: readonly RecordDelta[]): boolean {
      const sites = new Map<string, SiteDelta>();
      for (const r of records) {
        if (r.siteId === undefined) continue;
        sites.set(r.siteId, mergeInto(sites.get(r.siteId) ?? new Map(), r.delta));
      }
      let buckets = 0;
      for (const site of sites.values()) {
        buckets += site.size;
        for (const cells of site.values()) if (cells.size > MAX_CELLS_PER_BUCKET) return false;
      }
      return buckets <= MAX_BUCKETS_PER_CHUNK;
    }

    function expectMaximalCut(records: readonly RecordDelta[], end: number): void {
      expect(withinLimits(records.slice(0, end))).toBe(true);
      if (end < records.length) expect(withinLimits(records.slice(0, end + 1))).toBe(false);
    }

    it('stops before the record that would need a 100th bucket', () => {
      const records = Array.from({ length: 150 }, (_, i) => record(`site-${i}`, { 100: { V: 1 } }));

      const { end } = cutChunk(records, 0);

      expect(end).toBe(MAX_BUCKETS_PER_CHUNK);
      expectMaximalCut(records, end);
    });

    it('stops before the record that would put a 201st cell in a bucket', () => {
      const records = Array.from({ length: 250 }, (_, i) =>
        record('site-a', { 100: { [`P:/${i}`]: 1 } }),
      );

      const { end } = cutChunk(records, 0);

      expect(end).toBe(MAX_CELLS_PER_BUCKET);
      expectMaximalCut(records, end);
    });

    it('counts a bucket whose cells cancel out as gone, making room for more', () => {
      // Each pair moves one session into minute 100 and out again: nothing is left to write.
      const records = Array.from({ length: 300 }, (_, i) =>
        i % 2 === 0
          ? record('site-a', { [100 + i]: { 'A:00': 1 } })
          : record('site-a', { [99 + i]: { 'A:00': -1 } }),
      );

      const { end, deltas } = cutChunk(records, 0);

      expect(end).toBe(records.length);
      expect(deltas.get('site-a')?.size).toBe(0);
    });
  });
});
