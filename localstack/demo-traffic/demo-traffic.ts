/**
 * Demo traffic for `npm start`: keeps a few concurrent visits going on each demo site, replays
 * their plans against the edge on the wall clock, retries exactly the events a 207 names
 * (same eventIds, as the tracker does) and honours 429 Retry-After. A small share of requests
 * is malformed on purpose, so the edge's 400s show up in the summary too.
 */
import type { TrackerEvent } from '../../schemas';
import { WINDOWS } from '../../schemas/limits';
import { Prng } from './prng';
import { type EdgeAnswer, postEvents } from './post-events';
import { type DemoSite, type VisitPlan, planVisit } from './visit-plan';

export interface DemoTrafficSite extends DemoSite {
  readonly ingestKey: string;
  /** Visits kept running at once on this site. */
  readonly concurrentVisits: number;
}

export interface DemoTrafficOptions {
  readonly edgeUrl: string;
  readonly sites: readonly DemoTrafficSite[];
  readonly seed?: number;
  /** Share of requests sent malformed (expect 400). */
  readonly malformedShare?: number;
  readonly tickMs?: number;
  readonly clock?: () => number;
  readonly onError?: (error: unknown) => void;
}

export interface DemoTrafficStats {
  readonly requests: number;
  readonly eventsSent: number;
  readonly eventsAccepted: number;
  /** Events in requests the edge refused (400/403/413): never on the stream. */
  readonly eventsRefused: number;
  /** Events a 207 or 429 asked to retry (retried later with the same ids). */
  readonly eventsRetried: number;
  /**
   * Accepted events that are bad on purpose (stamped a year ahead, see visit-plan.ts): the
   * consumer must make each a bad row, so `npm start` can say where its bad rows come from.
   */
  readonly eventsBadOnPurpose: number;
  readonly transportErrors: number;
}

export interface DemoTraffic {
  stats(): DemoTrafficStats;
  stop(): Promise<void>;
}

interface RunningVisit {
  readonly plan: VisitPlan;
  readonly startedAt: number;
  next: number;
  /** Events waiting for a retry (from a 207 or 429), sent before the plan continues. */
  retry: readonly TrackerEvent[];
  retryAt: number;
  busy: boolean;
}

/**
 * The events a 207 refused. The edge names them by their index in the request (API Gateway's
 * response template sees only Kinesis's answer, whose entries follow the request's order).
 */
export function refusedEvents(body: unknown, events: readonly TrackerEvent[]): TrackerEvent[] {
  if (
    body === null ||
    typeof body !== 'object' ||
    !('failed' in body) ||
    !Array.isArray(body.failed)
  ) {
    return [];
  }
  const refused: TrackerEvent[] = [];
  for (const entry of body.failed as unknown[]) {
    if (entry === null || typeof entry !== 'object' || !('index' in entry)) continue;
    const event = typeof entry.index === 'number' ? events[entry.index] : undefined;
    if (event !== undefined) refused.push(event);
  }
  return refused;
}

export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const clock = options.clock ?? Date.now;
  const prng = new Prng(options.seed ?? 20_261_122);
  const malformedShare = options.malformedShare ?? 0.01;
  const counters = {
    requests: 0,
    eventsSent: 0,
    eventsAccepted: 0,
    eventsRefused: 0,
    eventsRetried: 0,
    eventsBadOnPurpose: 0,
    transportErrors: 0,
  };
  // The consumer's rule for a future timestamp, so both count the same events.
  const badOnPurpose = (events: readonly TrackerEvent[]): number =>
    events.filter((e) => e.ts - clock() > WINDOWS.maxFutureSkewMs).length;
  const visits = new Map<string, RunningVisit[]>(options.sites.map((s) => [s.siteId, []]));
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const send = async (
    site: DemoTrafficSite,
    visit: RunningVisit,
    events: readonly TrackerEvent[],
  ): Promise<void> => {
    const malformed = prng.chance(malformedShare);
    const payload = malformed
      ? { siteId: site.siteId, events: events.map((e) => ({ ...e, seq: 'not-a-number' })) }
      : { siteId: site.siteId, events };
    counters.requests += 1;
    counters.eventsSent += events.length;
    let answer: EdgeAnswer;
    try {
      answer = await postEvents({
        edgeUrl: options.edgeUrl,
        ingestKey: site.ingestKey,
        origin: site.origin,
        userAgent: visit.plan.userAgent,
        sourceIp: visit.plan.sourceIp,
        country: visit.plan.country,
        body: JSON.stringify(payload),
      });
    } catch (error) {
      counters.transportErrors += 1;
      options.onError?.(error);
      visit.retry = events;
      visit.retryAt = clock() + 2_000;
      return;
    }
    if (answer.status === 200) {
      counters.eventsAccepted += events.length;
      counters.eventsBadOnPurpose += badOnPurpose(events);
    } else if (answer.status === 207) {
      const refused = refusedEvents(answer.body, events);
      counters.eventsAccepted += events.length - refused.length;
      counters.eventsBadOnPurpose += badOnPurpose(events.filter((e) => !refused.includes(e)));
      counters.eventsRetried += refused.length;
      visit.retry = refused;
      visit.retryAt = clock() + 500;
    } else if (answer.status === 429 || answer.status >= 500) {
      counters.eventsRetried += events.length;
      visit.retry = events;
      visit.retryAt = clock() + (answer.retryAfterSeconds ?? 1) * 1000;
    } else {
      // 4xx: the request can never succeed; a tracker drops it (and so do we). Malformed on purpose, or a bug to see.
      counters.eventsRefused += events.length;
      if (!malformed)
        options.onError?.(
          new Error(`edge answered ${answer.status}: ${JSON.stringify(answer.body)}`),
        );
    }
  };

  const tick = (): void => {
    const now = clock();
    for (const site of options.sites) {
      const running = (visits.get(site.siteId) ?? []).filter(
        (v) => v.busy || v.retry.length > 0 || v.next < v.plan.requests.length,
      );
      while (running.length < site.concurrentVisits) {
        running.push({
          plan: planVisit(prng, site, now),
          startedAt: now,
          next: 0,
          retry: [],
          retryAt: 0,
          busy: false,
        });
      }
      visits.set(site.siteId, running);
      for (const visit of running) {
        if (visit.busy) continue;
        let events: readonly TrackerEvent[] | undefined;
        if (visit.retry.length > 0) {
          if (visit.retryAt > now) continue;
          events = visit.retry;
          visit.retry = [];
        } else {
          const due = visit.plan.requests[visit.next];
          if (due === undefined || visit.startedAt + due.atMs > now) continue;
          events = due.events;
          visit.next += 1;
        }
        visit.busy = true;
        const work = send(site, visit, events).finally(() => {
          visit.busy = false;
          inFlight.delete(work);
        });
        inFlight.add(work);
      }
    }
  };

  const timer = setInterval(() => {
    if (!stopped) tick();
  }, options.tickMs ?? 250);
  tick();

  return {
    stats: () => ({ ...counters }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
