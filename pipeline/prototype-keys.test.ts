/**
 * Props keys named like Object.prototype members are ordinary data in the pure pipeline: decode
 * accepts them (the edge's model does too), and the raw event item carries them as own keys,
 * values unchanged — never read from, or written to, a prototype.
 */
import { processBatch } from './process-batch';
import { customEvent, edgeRecord } from './__fixtures__/edge-records';
import { kinesisRecordWithText } from './__fixtures__/kinesis-records';
import { testPorts } from './__fixtures__/ports';

const PROPS_TEXT =
  '{"__proto__": {"polluted": 1}, "constructor": 1, "toString": "s", "hasOwnProperty": true, "valueOf": 0}';

describe('props keys named like Object.prototype members', () => {
  it('are accepted and kept as own keys of a plain object, as sent', () => {
    // Prepare: the record's text as the edge writes it (JSON, `__proto__` a key like any other).
    const record = JSON.stringify(edgeRecord({ event: customEvent({ props: { marker: 1 } }) }));
    const text = record.replace('{"marker":1}', PROPS_TEXT.replace('{"polluted": 1}', '"p"'));

    // Act
    const batch = processBatch([kinesisRecordWithText(text)], testPorts());

    // Assess
    expect(batch.badRows).toEqual([]);
    const props = batch.eventItems[0]?.props ?? {};
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(Object.entries(props)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 1],
      ['toString', 's'],
      ['hasOwnProperty', true],
      ['valueOf', 0],
    ]);
  });

  it('an object value under `__proto__` is a schema bad row naming the key, and pollutes nothing', () => {
    const record = JSON.stringify(edgeRecord({ event: customEvent({ props: { marker: 1 } }) }));
    const text = record.replace('{"marker":1}', PROPS_TEXT);

    const batch = processBatch([kinesisRecordWithText(text)], testPorts());

    expect(batch.badRows.map((row) => row.reason)).toEqual(['schema']);
    expect(batch.badRows[0]?.message).toContain('props.__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
