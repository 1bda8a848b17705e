/**
 * With LIVEINSIGHT_DATA_DIR, what the edge acknowledged survives `npm start` dying before the
 * consumer stored it: the stream is kept on disk (kinesalite --path), the checkpoints too, and
 * the next start stores every acknowledged event exactly once. The consumer is held back by
 * freezing DynamoDB Local (SIGSTOP: no exit, so ingest stays open), then `npm start` is killed
 * with SIGKILL (no drain).
 */
import { descendantsOf, waitUntilGone } from '../testing/processes';
import {
  type ProductUnderTest,
  countStoredRows,
  newSessionEvents,
  startProductUnderTest,
} from '../testing/product-under-test';
import { describeWithEmulators } from '../testing/use-test-stack';

describeWithEmulators()('npm start restarted on its data dir', () => {
  const products: ProductUnderTest[] = [];
  afterAll(async () => {
    for (const product of products.reverse()) await product.dispose();
  });

  it('stores every event acknowledged before a crash, once, after the restart', async () => {
    // Arrange: acknowledged events the consumer cannot store (DynamoDB Local frozen).
    const first = await startProductUnderTest({ LIVEINSIGHT_DEMO: 'off' });
    products.push(first);
    const processes = descendantsOf(first.cli.child.pid ?? -1);
    // The ingest key is checked against the registry table (in DynamoDB Local) on a cache miss:
    // one batch first puts the key's answer in the authorizer's cache (5 minutes), so ingest
    // stays open while DynamoDB is frozen, as on AWS.
    const statuses: number[] = [await first.post(newSessionEvents(10))];
    process.kill(first.pidOf('dynamodb'), 'SIGSTOP');
    for (let i = 0; i < 5; i += 1) statuses.push(await first.post(newSessionEvents(10)));

    // Act: npm start dies without a chance to drain; then starts again on the same data dir.
    first.cli.child.kill('SIGKILL');
    await first.cli.exited;
    expect(await waitUntilGone(processes, 30_000)).toEqual([]);
    const second = await startProductUnderTest(
      { LIVEINSIGHT_DEMO: 'off' },
      { dataDir: first.dataDir },
    );
    products.push(second);
    const until = Date.now() + 120_000;
    let rows = await countStoredRows(second.demo.awsEndpoint);
    while (rows.events < 60 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      rows = await countStoredRows(second.demo.awsEndpoint);
    }

    // Assert: all 60 acknowledged, all 60 stored, none twice.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(rows).toEqual({ events: 60, badRows: 0 });
  }, 400_000);
});
