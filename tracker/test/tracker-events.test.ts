/** The tracker's copy of its built-in event names equals the contract's (schemas/tracker-events.ts). */
import { TRACKER_EVENT_NAMES } from '../../schemas/tracker-events';
import { EVENT_NAMES } from '../src/event-names';

describe('tracker event names', () => {
  it('are the names schemas/tracker-events.ts defines', () => {
    expect(EVENT_NAMES).toEqual(TRACKER_EVENT_NAMES);
  });
});
