/**
 * Which items the TTL sweeper deleted, so that the REMOVE records those deletes put on a
 * DynamoDB stream can be told apart from user deletes, as AWS does with
 * `userIdentity {type: "Service", principalId: "dynamodb.amazonaws.com"}`.
 *
 * A record matches a logged deletion when table, keys and (if the record carries one) the old
 * image are equal and the record's ApproximateCreationDateTime fits the time the delete was in
 * flight. That time is coarse: AWS rounds it down to the second, DynamoDB Local to the minute,
 * so the window opens a minute early. (A false match would need a user to delete an item with
 * an identical, already expired image in the minute before the sweeper deletes it again.)
 * An entry is logged BEFORE the DeleteItem call, so a stream reader can never see the record
 * before the log knows it.
 */
import { canonicalJson } from './canonical-json';

/** DynamoDB wire-format item or key (`{ pk: { S: "…" } }`); the SDK's AttributeValue shape too. */
export type WireItem = Readonly<Record<string, unknown>>;

export interface TtlDeletion {
  readonly tableName: string;
  readonly keys: WireItem;
  /** The deleted item (ReturnValues ALL_OLD); undefined while the delete is in flight. */
  readonly oldImage: WireItem | undefined;
  readonly startedAtMs: number;
  /** Undefined while the delete is in flight. */
  readonly finishedAtMs: number | undefined;
}

export interface StreamRecordRef {
  readonly tableName: string;
  readonly keys: WireItem;
  readonly oldImage?: WireItem | undefined;
  /** ApproximateCreationDateTime: a Date (SDK) or epoch seconds (wire format, Lambda events). */
  readonly approximateCreationDateTime: Date | number | undefined;
}

/** Creation times are rounded down (to the minute by DynamoDB Local), never up. */
const EARLY_SLACK_MS = 61_000;
const LATE_SLACK_MS = 1_000;
/** DynamoDB Streams keep records 24 h; a deletion can't be read back later than that. */
const RETENTION_MS = 24 * 60 * 60 * 1_000;
const MAX_ENTRIES = 200_000;

interface Entry {
  tableName: string;
  keys: WireItem;
  oldImage: WireItem | undefined;
  oldImageJson: string | undefined;
  startedAtMs: number;
  finishedAtMs: number | undefined;
}

export interface PendingDeletion {
  /** The delete happened: keep the entry with its old image. */
  complete(oldImage: WireItem | undefined): void;
  /** The delete did not happen (condition failed, error): forget the entry. */
  abandon(): void;
}

export class TtlDeletionLog {
  /** Keyed by `${tableName}\n${canonical keys}`; several deletions of one key are possible. */
  private readonly byKey = new Map<string, Entry[]>();
  private count = 0;
  private beginsSinceEviction = 0;

  constructor(private readonly now: () => number = Date.now) {}

  begin(tableName: string, keys: WireItem): PendingDeletion {
    this.evictOld();
    const entry: Entry = {
      tableName,
      keys,
      oldImage: undefined,
      oldImageJson: undefined,
      startedAtMs: this.now(),
      finishedAtMs: undefined,
    };
    const id = `${tableName}\n${canonicalJson(keys)}`;
    const list = this.byKey.get(id) ?? [];
    list.push(entry);
    this.byKey.set(id, list);
    this.count += 1;
    return {
      complete: (oldImage) => {
        entry.oldImage = oldImage;
        entry.oldImageJson = oldImage === undefined ? undefined : canonicalJson(oldImage);
        entry.finishedAtMs = this.now();
      },
      abandon: () => {
        const current = this.byKey.get(id) ?? [];
        const remaining = current.filter((candidate) => candidate !== entry);
        if (remaining.length === current.length) return;
        if (remaining.length === 0) this.byKey.delete(id);
        else this.byKey.set(id, remaining);
        this.count -= 1;
      },
    };
  }

  /** The lookup for stream readers: is this REMOVE record a TTL deletion? */
  isTtlDeletion(record: StreamRecordRef): boolean {
    const list = this.byKey.get(`${record.tableName}\n${canonicalJson(record.keys)}`);
    if (list === undefined) return false;
    const createdMs = toEpochMs(record.approximateCreationDateTime);
    const oldImageJson = record.oldImage === undefined ? undefined : canonicalJson(record.oldImage);
    return list.some((entry) => {
      if (oldImageJson !== undefined && entry.oldImageJson !== undefined) {
        if (oldImageJson !== entry.oldImageJson) return false;
      }
      if (createdMs === undefined) return true;
      const end = entry.finishedAtMs ?? Number.POSITIVE_INFINITY;
      return createdMs >= entry.startedAtMs - EARLY_SLACK_MS && createdMs <= end + LATE_SLACK_MS;
    });
  }

  /** Completed deletions, oldest first (optionally of one table). */
  deletions(tableName?: string): readonly TtlDeletion[] {
    return [...this.byKey.values()]
      .flat()
      .filter((entry) => entry.finishedAtMs !== undefined)
      .filter((entry) => tableName === undefined || entry.tableName === tableName)
      .sort((a, b) => a.startedAtMs - b.startedAtMs)
      .map((entry) => ({ ...entry }));
  }

  private evictOld(): void {
    // Amortised: a full pass every 10,000 deletions, or at once when the log is full.
    this.beginsSinceEviction += 1;
    if (this.count < MAX_ENTRIES && this.beginsSinceEviction < 10_000) return;
    this.beginsSinceEviction = 0;
    const cutoff = this.now() - RETENTION_MS;
    const all = [...this.byKey.entries()];
    this.byKey.clear();
    this.count = 0;
    const keep = all
      .flatMap(([id, list]) => list.map((entry) => ({ id, entry })))
      .filter(({ entry }) => entry.startedAtMs >= cutoff)
      .sort((a, b) => a.entry.startedAtMs - b.entry.startedAtMs)
      .slice(-Math.floor(MAX_ENTRIES / 2));
    for (const { id, entry } of keep) {
      const list = this.byKey.get(id) ?? [];
      list.push(entry);
      this.byKey.set(id, list);
      this.count += 1;
    }
  }
}

function toEpochMs(value: Date | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.getTime() : value * 1_000;
}
