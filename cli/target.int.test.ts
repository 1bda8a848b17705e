/**
 * The admin CLI's target errors, on the emulators: no local stack (no demo.json, or nothing at its
 * endpoint), an unknown table, a table of the wrong shape — each a sentence naming what was
 * received and what was expected, before any work.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { runAdmin } from './admin';
import { localTarget } from './target';
import { lines, testTarget } from './test-support/test-target';

let stack: TestStack;

beforeAll(async () => {
  stack = await useTestStack({ name: 'cli-target' });
});
afterAll(() => stack.dispose());

test('no demo.json: no local stack is running', async () => {
  await expect(
    localTarget({ LIVEINSIGHT_STATE_DIR: '/nonexistent/liveinsight-state' }),
  ).rejects.toThrow(
    'no local stack is running: /nonexistent/liveinsight-state/demo.json not found',
  );
});

test('a demo.json whose endpoint answers nothing: said so, with what was expected', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-target-'));
  try {
    await writeFile(join(dir, 'demo.json'), JSON.stringify({ awsEndpoint: 'http://127.0.0.1:9' }));
    const target = await localTarget({ LIVEINSIGHT_STATE_DIR: dir });
    expect(target.label).toContain('http://127.0.0.1:9');
    await expect(runAdmin(['target'], { target, print: () => undefined })).rejects.toThrow(
      /nothing answers at the AWS endpoint .*expected the local stack of `npm start`/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the target command lists the test stack and checks every table', async () => {
  const { print, printed } = lines();
  await runAdmin(['target'], { target: testTarget(stack), print });
  expect(printed.at(-1)).toContain('present, keys as infra/resources.ts defines them');
});

test('an unknown table and a table of the wrong shape stop the command before any work', async () => {
  const base = testTarget(stack);
  const missing = { ...base, tables: { ...base.tables, badRows: `${stack.prefix}-nope` } };
  await expect(
    runAdmin(['bad-rows', 'list', '--day', '2026-12-07'], {
      target: missing,
      print: () => undefined,
    }),
  ).rejects.toThrow(/table .*-nope: .*expected the stage's table to exist/);
  const wrongShape = { ...base, tables: { ...base.tables, badRows: base.tables.sessions } };
  await expect(
    runAdmin(['redrive', '--dry-run'], { target: wrongShape, print: () => undefined }),
  ).rejects.toThrow(
    /has key \[pk HASH S\] \(expected the badRows table's key \[pk HASH S, sk RANGE S\]\)/,
  );
});

test('an unknown failures bucket: the redrive says so', async () => {
  const target = { ...testTarget(stack), failureBucket: `${stack.prefix}-no-such-bucket` };
  await expect(runAdmin(['redrive'], { target, print: () => undefined })).rejects.toThrow(
    /redrive from bucket .*-no-such-bucket: the bucket does not exist/,
  );
});
