import { KinesisOrderCheck, comparePositions, kinesisOrder, kinesisOrigin } from './kinesis-record';
import { kinesisRecordWithData } from './__fixtures__/kinesis-records';

describe('Kinesis positions', () => {
  it('orders sequence numbers numerically, not as text', () => {
    const positions = ['100', '99', '1000', '101'].map((sequenceNumber) => ({
      shardId: 'shardId-000000000000',
      sequenceNumber,
    }));

    const sorted = [...positions].sort(comparePositions).map((p) => p.sequenceNumber);

    expect(sorted).toEqual(['99', '100', '101', '1000']);
  });

  it('orders by sequence number, the shard breaking a tie', () => {
    const a = { shardId: 'shardId-000000000001', sequenceNumber: '1' };
    const b = { shardId: 'shardId-000000000000', sequenceNumber: '999' };
    const c = { shardId: 'shardId-000000000000', sequenceNumber: '1' };

    expect(comparePositions(a, b)).toBeLessThan(0);
    expect(comparePositions(a, c)).toBeGreaterThan(0);
    expect(comparePositions(c, c)).toBe(0);
  });

  it('falls back to the text before the first colon when eventID does not end with the sequence number', () => {
    const record = kinesisRecordWithData('e30=');
    const odd = { ...record, eventID: 'shardId-000000000007:something-else' };

    expect(kinesisOrigin(odd).shardId).toBe('shardId-000000000007');
  });

  it('clamps an arrival time no Date can hold to 0 instead of throwing later', () => {
    const record = kinesisRecordWithData('e30=');
    const odd = { ...record, kinesis: { ...record.kinesis, approximateArrivalTimestamp: 1e20 } };

    expect(kinesisOrigin(odd).arrivedAt).toBe(0);
  });

  it('checks record by record that a batch comes in Kinesis order', () => {
    const check = new KinesisOrderCheck();
    const [a, b, c] = [3, 9, 4].map((position) => kinesisRecordWithData('e30=', { position }));

    expect([a, b, c].map((record) => record !== undefined && check.next(record))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('gives the sorting order only when the records are out of order', () => {
    const records = [5, 1, 3].map((position) => kinesisRecordWithData('e30=', { position }));
    const sorted = [1, 3, 5].map((position) => kinesisRecordWithData('e30=', { position }));

    expect(kinesisOrder(records)).toEqual([1, 2, 0]);
    expect(kinesisOrder(sorted)).toBeUndefined();
  });
});
