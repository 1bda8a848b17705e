/**
 * Ctrl-C under load: from the moment `npm start` says it is stopping, the edge acknowledges no
 * event (503, or no connection once it is closed); the consumer drains what was acknowledged
 * before, the product reports how many events it could not store (0 when drained), and the
 * tables hold every acknowledged event — checked after the stop on the data dir.
 */
import {
  type ProductUnderTest,
  countStoredRowsIn,
  newSessionEvents,
  startProductUnderTest,
} from '../testing/product-under-test';
import { describeWithEmulators } from '../testing/use-test-stack';

interface Sent {
  readonly startedAt: number;
  readonly events: number;
  /** HTTP status, or 0 when no answer came (connection refused or reset). */
  readonly status: number;
}

const SENDERS = 4;
const EVENTS_PER_REQUEST = 10;

describeWithEmulators()('npm start stopped under load', () => {
  let product: ProductUnderTest | undefined;
  afterAll(() => product?.dispose());

  it('refuses new events at once, drains, and stores every acknowledged event', async () => {
    // Arrange: the product on a data dir, a few senders posting back to back.
    // A generous drain deadline: DynamoDB Local on a busy 2-core machine writes slowly.
    product = await startProductUnderTest({
      LIVEINSIGHT_DEMO: 'off',
      LIVEINSIGHT_DRAIN_SECONDS: '240',
    });
    const running = product;
    const sent: Sent[] = [];
    let exited = false;
    void running.cli.exited.then(() => (exited = true));
    const sender = async (): Promise<void> => {
      while (!exited) {
        const startedAt = Date.now();
        const status = await running.post(newSessionEvents(EVENTS_PER_REQUEST)).catch(() => 0);
        sent.push({ startedAt, events: EVENTS_PER_REQUEST, status });
        // Once refused, slow down: the product is going away.
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const senders = Array.from({ length: SENDERS }, sender);
    const acknowledged = (): number =>
      sent.filter((s) => s.status === 200).reduce((sum, s) => sum + s.events, 0);
    const until = Date.now() + 60_000;
    while (acknowledged() < 800 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Act: Ctrl-C while the senders keep going.
    running.cli.child.kill('SIGINT');
    await running.cli.waitFor(/SIGINT: stopping…/, 10_000);
    const stopSeenAt = Date.now();
    const exit = await running.cli.exited;
    await Promise.all(senders);

    // Assert: nothing started after the stop was announced was acknowledged.
    const late = sent.filter((s) => s.startedAt >= stopSeenAt);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((s) => s.status === 200)).toEqual([]);
    expect(exit.code).toBe(0);
    expect(running.cli.output()).toMatch(/drained in \d+ ms: 0 acknowledged events left unstored/);
    expect(await countStoredRowsIn(running.dataDir)).toEqual({
      events: acknowledged(),
      badRows: 0,
    });
    expect(acknowledged()).toBeGreaterThanOrEqual(800);
  }, 420_000);
});
