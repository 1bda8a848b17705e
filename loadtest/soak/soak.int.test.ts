/**
 * The 60 s soak with chaos (issue 18 item 2) as `npm test` runs it: the whole local product in
 * this process, open-loop sessions, and every kind of fault injected at least once — DynamoDB
 * throttling and 5xx, a consumer crash mid-batch, slow Kinesis reads, partial PutRecords
 * failures resent by the client, and DynamoDB Local killed and restarted on its data. Every
 * acknowledged event must be stored exactly once and the pipeline's lag must return to zero.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithEmulators } from '../../localstack/testing/use-test-stack';
import { FAULT_KINDS } from './soak-faults';
import { type SoakResult, runSoak } from './run-soak';

describeWithEmulators()('soak with chaos (60 s)', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('stores every acknowledged event exactly once through every kind of fault', async () => {
    // Arrange
    dataDir = await mkdtemp(join(tmpdir(), 'liveinsight-soak-test-'));
    const lines: string[] = [];

    // Act
    const result: SoakResult = await runSoak({
      seconds: 60,
      rate: 10,
      dataDir,
      print: (line) => lines.push(line),
    });

    // Assert: each fault kind really happened, and nothing was lost or counted twice.
    for (const kind of FAULT_KINDS)
      expect({ kind, n: result.injected[kind] }).toEqual({
        kind,
        n: expect.any(Number),
      });
    expect(
      FAULT_KINDS.filter((kind) => result.injected[kind] < 1).map(
        (kind) => `${kind} never injected`,
      ),
    ).toEqual([]);
    expect(result.accepted).toBeGreaterThan(0);
    expect({ lost: result.lost, doubled: result.doubled, unexpected: result.unexpected }).toEqual({
      lost: 0,
      doubled: 0,
      unexpected: 0,
    });
    expect(result.accepted).toBe(result.stored + result.bad);
    expect(result.finalLagRecords).toBe(0);
    expect(lines.some((line) => line.startsWith('soak ') && line.includes('faults active'))).toBe(
      true,
    );
  }, 600_000);
});
