import { TtlDeletionLog } from './ttl-deletion-log';

const keys = { pk: { S: 'site#s1' }, sk: { S: 's1' } };
const image = { ...keys, expiresAt: { N: '100' }, pageviews: { N: '3' } };

function clock(startMs: number): { now: () => number; set: (ms: number) => void } {
  let current = startMs;
  return { now: () => current, set: (ms) => (current = ms) };
}

describe('TtlDeletionLog', () => {
  it('matches a REMOVE record created up to a minute earlier (DynamoDB Local rounds to minutes)', () => {
    const log = new TtlDeletionLog(() => 1_000_059_000);
    log.begin('t', keys).complete(image);
    expect(
      log.isTtlDeletion({
        tableName: 't',
        keys,
        oldImage: image,
        approximateCreationDateTime: 1_000_000,
      }),
    ).toBe(true);
  });

  it('matches a REMOVE record of a logged deletion (keys, old image, time window)', () => {
    // Arrange
    const time = clock(1_000_000);
    const log = new TtlDeletionLog(time.now);
    const pending = log.begin('t', keys);
    time.set(1_000_050);
    pending.complete(image);
    // Act / Assert: stream times are epoch seconds (wire) or Dates (SDK).
    expect(
      log.isTtlDeletion({
        tableName: 't',
        keys,
        oldImage: image,
        approximateCreationDateTime: 1_000,
      }),
    ).toBe(true);
    expect(
      log.isTtlDeletion({
        tableName: 't',
        keys,
        oldImage: image,
        approximateCreationDateTime: new Date(1_000_050),
      }),
    ).toBe(true);
  });

  it('compares keys and images regardless of attribute order', () => {
    const log = new TtlDeletionLog(() => 5_000);
    log.begin('t', { sk: { S: 's1' }, pk: { S: 'site#s1' } }).complete(image);
    expect(
      log.isTtlDeletion({
        tableName: 't',
        keys,
        oldImage: { pageviews: { N: '3' }, expiresAt: { N: '100' }, sk: keys.sk, pk: keys.pk },
        approximateCreationDateTime: 5,
      }),
    ).toBe(true);
  });

  it('does not match another table, other keys, another image or another time', () => {
    const log = new TtlDeletionLog(() => 10_000_000);
    log.begin('t', keys).complete(image);
    const base = { tableName: 't', keys, oldImage: image, approximateCreationDateTime: 10_000 };
    expect(log.isTtlDeletion({ ...base, tableName: 'other' })).toBe(false);
    expect(log.isTtlDeletion({ ...base, keys: { ...keys, sk: { S: 's2' } } })).toBe(false);
    expect(log.isTtlDeletion({ ...base, oldImage: { ...image, pageviews: { N: '4' } } })).toBe(
      false,
    );
    // A user delete of a re-created item later on is not the TTL's, nor one long before.
    expect(log.isTtlDeletion({ ...base, approximateCreationDateTime: 10_002 })).toBe(false);
    expect(log.isTtlDeletion({ ...base, approximateCreationDateTime: 10_000 - 62 })).toBe(false);
  });

  it('knows a deletion while it is in flight, so no reader sees the record first', () => {
    const log = new TtlDeletionLog(() => 20_000);
    log.begin('t', keys);
    expect(
      log.isTtlDeletion({ tableName: 't', keys, oldImage: image, approximateCreationDateTime: 20 }),
    ).toBe(true);
  });

  it('forgets an abandoned deletion (the item was extended meanwhile)', () => {
    const log = new TtlDeletionLog(() => 30_000);
    log.begin('t', keys).abandon();
    expect(log.isTtlDeletion({ tableName: 't', keys, approximateCreationDateTime: 30 })).toBe(
      false,
    );
    expect(log.deletions()).toEqual([]);
  });

  it('lists completed deletions per table', () => {
    const log = new TtlDeletionLog(() => 40_000);
    log.begin('a', keys).complete(image);
    log.begin('b', keys).complete(image);
    log.begin('a', { pk: { S: 'x' }, sk: { S: 'y' } });
    expect(log.deletions('a').map((deletion) => deletion.keys)).toEqual([keys]);
    expect(log.deletions()).toHaveLength(2);
  });
});
