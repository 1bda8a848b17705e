// Collects on-failure records in memory, and can refuse writes to test that a destination fault
// leaves records unacknowledged.
import type { FailureDestination, OnFailureRecord } from '../ports';

export class MemoryFailureDestination implements FailureDestination {
  readonly target = 'memory://on-failure';
  readonly received: OnFailureRecord[] = [];
  private faults: Error[] = [];

  failNextWrites(...errors: Error[]): void {
    this.faults.push(...errors);
  }

  async send(record: OnFailureRecord): Promise<void> {
    const fault = this.faults.shift();
    if (fault !== undefined) throw fault;
    this.received.push(record);
  }
}
