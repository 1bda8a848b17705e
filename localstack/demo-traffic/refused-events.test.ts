import { Prng } from './prng';
import { refusedEvents } from './demo-traffic';
import { planVisit } from './visit-plan';

describe('refusedEvents', () => {
  const plan = planVisit(new Prng(7), { siteId: 'demo-shop', origin: 'http://localhost:3000' }, 0);
  const events = plan.requests.flatMap((r) => r.events).slice(0, 3);

  it('maps the indexes a 207 names back to the events to resend', () => {
    const body = {
      accepted: 1,
      failed: [
        { index: 0, errorCode: 'ProvisionedThroughputExceededException' },
        { index: 2, errorCode: 'InternalFailure' },
      ],
    };

    expect(refusedEvents(body, events).map((e) => e.eventId)).toEqual([
      events[0]?.eventId,
      events[2]?.eventId,
    ]);
  });

  it('resends nothing for an answer without failures or with indexes outside the request', () => {
    expect(refusedEvents({ accepted: 3 }, events)).toEqual([]);
    expect(
      refusedEvents({ accepted: 2, failed: [{ index: 9 }, { index: 'x' }, null] }, events),
    ).toEqual([]);
    expect(refusedEvents('not json', events)).toEqual([]);
  });
});
