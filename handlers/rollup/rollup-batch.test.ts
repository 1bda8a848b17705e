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
import { createRollupBatchHandler } from './rollup-batch';

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
});
