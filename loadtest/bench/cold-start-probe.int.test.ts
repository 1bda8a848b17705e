/**
 * The cold-start probe times only answers it has checked: a bundle that fails at load, or a
 * handler that answers something else, fails the bench naming the handler and what was expected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBJECTS, bundleSubject, coldStart, writeProbe, type Subject } from './cold-start-probe';

let dir: string;
let probe: string;
const env = { PATH: process.env['PATH'] };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cold-start-probe-'));
  probe = writeProbe(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function subject(name: string, source: string, expected: Subject['expect']): Subject {
  return { name, entry: { source }, nodeFlags: [], event: { probe: true }, expect: expected };
}

const answersOk: Subject['expect'] = {
  text: '{"ok": true}',
  holds: (outcome) => 'value' in outcome && JSON.stringify(outcome.value) === '{"ok":true}',
};

describe('coldStart', () => {
  it('times a bundle that loads and answers as expected', () => {
    const floor = SUBJECTS.find((s) => s.name === 'floor') as Subject;
    const { file, bytes } = bundleSubject(floor, dir);

    const sample = coldStart(floor, file, probe, env);

    expect(bytes).toBeGreaterThan(0);
    expect(sample.loadMs).toBeGreaterThanOrEqual(0);
    expect(sample.firstInvokeMs).toBeGreaterThanOrEqual(0);
    expect(sample.totalMs).toBeGreaterThan(sample.loadMs);
  });

  it('fails naming the handler and its stderr when the bundle throws at load', () => {
    const broken = subject('broken-init', 'throw new Error("config missing: FOO");', answersOk);
    const { file } = bundleSubject(broken, dir);

    expect(() => coldStart(broken, file, probe, env)).toThrow(
      /^broken-init: the probe printed no report \(exit 1.*config missing: FOO/s,
    );
  });

  it('fails naming what was expected when the first answer is another', () => {
    const wrong = subject(
      'wrong-answer',
      'exports.handler = async (event) => ({ got: event });',
      answersOk,
    );
    const { file } = bundleSubject(wrong, dir);

    expect(() => coldStart(wrong, file, probe, env)).toThrow(
      'wrong-answer: the first invocation answered {"value":{"got":{"probe":true}}} (expected {"ok": true})',
    );
  });

  it('reports a handler that throws as its error message', () => {
    const throwing = subject(
      'throws',
      'exports.handler = async () => { throw new Error("Unauthorized"); };',
      {
        text: 'the error "Unauthorized"',
        holds: (o) => 'error' in o && o.error === 'Unauthorized',
      },
    );
    const { file } = bundleSubject(throwing, dir);

    expect(coldStart(throwing, file, probe, env).totalMs).toBeGreaterThan(0);
  });
});
