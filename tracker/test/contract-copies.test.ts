/**
 * Browser code takes only types from schemas/, so the tracker keeps copies of the contract's
 * limits and of its own event names (tracker/src/contract.ts, event-names.ts): each equals its home.
 */
import { PROP_KEY_PATTERN } from '../../schemas/ingest';
import { LIMITS, WINDOWS } from '../../schemas/limits';
import { TRACKER_EVENT_NAMES } from '../../schemas/tracker-events';
import * as copies from '../src/contract';
import { EVENT_NAMES } from '../src/event-names';

describe("the tracker's copies of the contract", () => {
  it('has the event names schemas/tracker-events.ts defines', () => {
    expect(EVENT_NAMES).toEqual(TRACKER_EVENT_NAMES);
  });

  it('has the limits and windows of schemas/limits.ts', () => {
    expect(copies.SESSION_GAP_MS).toBe(WINDOWS.sessionGapMs);
    expect(copies.MAX_URL).toBe(LIMITS.maxUrlLength);
    expect(copies.MAX_TITLE).toBe(LIMITS.maxTitleLength);
    expect(copies.MAX_NAME).toBe(LIMITS.maxNameLength);
    expect(copies.MAX_PROPS).toBe(LIMITS.maxProps);
    expect(copies.MAX_PROP_STRING).toBe(LIMITS.maxPropStringLength);
    expect(copies.MAX_MAGNITUDE).toBe(LIMITS.maxPropNumberMagnitude);
    expect(copies.MIN_MAGNITUDE).toBe(LIMITS.minPropNumberMagnitude);
    expect(copies.CUSTOM_BYTES).toBeLessThan(LIMITS.maxEventBytes);
  });

  it("accepts exactly the prop keys of the contract's pattern", () => {
    const contract = new RegExp(PROP_KEY_PATTERN);
    for (const key of [
      'plan',
      'a.b:c-d_e',
      'x'.repeat(64),
      'x'.repeat(65),
      '',
      'bad key',
      'é',
      '__proto__',
    ]) {
      expect(copies.PROP_KEY.test(key)).toBe(contract.test(key));
    }
  });
});
