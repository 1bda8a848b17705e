// The shard checkpoint under ParallelizationFactor > 1: lanes finish out of order, but a shard
// checkpoint may only pass records that are all done. The tracker keeps read records in
// sequence order and advances over the done prefix. Pure.

export class CheckpointTracker {
  private readonly sequenceNumbers: string[] = [];
  private readonly done: boolean[] = [];
  private readonly arrivals: number[] = [];
  /** Absolute position of sequenceNumbers[0]. */
  private base = 0;
  private next = 0;
  private lastCheckpoint: string | undefined;

  constructor(initialCheckpoint?: string) {
    this.lastCheckpoint = initialCheckpoint;
  }

  /** Registers a record read from the shard, in read order; returns its position. */
  add(sequenceNumber: string, arrivalMs: number): number {
    this.sequenceNumbers.push(sequenceNumber);
    this.done.push(false);
    this.arrivals.push(arrivalMs);
    return this.next++;
  }

  /**
   * Marks positions done; returns the new checkpoint (sequence number of the last record of the
   * done prefix) when it moved, else undefined.
   */
  markDone(positions: Iterable<number>): string | undefined {
    for (const position of positions) {
      const index = position - this.base;
      if (index < 0 || index >= this.done.length) {
        throw new RangeError(
          `checkpoint position ${position} is outside the pending window [${this.base}, ${this.next}); expected a record read and not yet checkpointed`,
        );
      }
      this.done[index] = true;
    }
    let advance = 0;
    while (advance < this.done.length && this.done[advance] === true) advance += 1;
    if (advance === 0) return undefined;
    this.lastCheckpoint = this.sequenceNumbers[advance - 1];
    this.sequenceNumbers.splice(0, advance);
    this.done.splice(0, advance);
    this.arrivals.splice(0, advance);
    this.base += advance;
    return this.lastCheckpoint;
  }

  get checkpoint(): string | undefined {
    return this.lastCheckpoint;
  }

  /** Records read but not yet behind the checkpoint. */
  get pending(): number {
    return this.sequenceNumbers.length;
  }

  /** Arrival time of the first record not yet behind the checkpoint (the oldest, in a shard). */
  get oldestPendingArrivalMs(): number | undefined {
    return this.arrivals[0];
  }
}
