/**
 * Open-loop traffic for the soak: `rate` requests per second whatever the edge answers (a slow or
 * failing product does not slow the senders down, as real visitors do not wait for us), each
 * request the next one of a realistic visit (localstack/demo-traffic/visit-plan.ts). Like the
 * tracker it resends exactly the events a 207 names and the whole batch after a 429, a 5xx or
 * a transport error — always the same events with the same eventIds. It keeps the model of
 * what the edge acknowledged, per session, to compare with the tables at the end.
 */
import type { TrackerEvent } from '../../schemas';
import { WINDOWS } from '../../schemas/limits';
import { type EdgeAnswer, postEvents } from '../../localstack/demo-traffic/post-events';
import { refusedEvents } from '../../localstack/demo-traffic/demo-traffic';
import { type DemoSite, type VisitPlan, planVisit } from '../../localstack/demo-traffic/visit-plan';
import { Prng } from '../../localstack/demo-traffic/prng';

export interface SoakSite extends DemoSite {
  readonly ingestKey: string;
}

export interface SoakTrafficOptions {
  readonly edgeUrl: string;
  readonly site: SoakSite;
  /** New requests per second (retries come on top, as a tracker's do). */
  readonly rate: number;
  readonly seed: number;
  /** Visits open at once; each request goes to one of them at random. */
  readonly openVisits?: number;
  readonly clock?: () => number;
}

/** What the edge acknowledged of one session: eventId → event. */
export type SessionModel = Map<string, TrackerEvent>;

export interface SoakTrafficStats {
  readonly requests: number;
  /** Distinct events acknowledged (200, or not named by a 207). */
  readonly accepted: number;
  /** Of those, events the consumer must make bad rows (stamped a year ahead on purpose). */
  readonly acceptedBad: number;
  /** Events resent with the same eventIds: after a 207 (named ones), a 429/5xx or a transport error. */
  readonly resent: number;
  readonly partialAnswers: number;
  readonly refusedAnswers: number;
  readonly transportErrors: number;
  /** Answers a retry cannot fix (4xx other than 429): none expected. */
  readonly unexpected: readonly string[];
  /** Events sent and not yet acknowledged (in flight or waiting for their retry). */
  readonly pending: number;
}

export interface SoakTraffic {
  stats(): SoakTrafficStats;
  /** sessionId → what the edge acknowledged of it. */
  readonly sessions: ReadonlyMap<string, SessionModel>;
  /** Stops new requests; resolves once every sent event is acknowledged (or the deadline passes). */
  finish(deadlineMs: number): Promise<void>;
}

interface OpenVisit {
  readonly plan: VisitPlan;
  next: number;
}

const TICK_MS = 50;
const RETRY_AFTER_207_MS = 300;

export function startSoakTraffic(options: SoakTrafficOptions): SoakTraffic {
  const clock = options.clock ?? Date.now;
  const prng = new Prng(options.seed);
  const openVisits = options.openVisits ?? Math.max(10, Math.round(options.rate));
  const visits: OpenVisit[] = [];
  const sessions = new Map<string, SessionModel>();
  const acked = new Set<string>();
  const counters = {
    requests: 0,
    accepted: 0,
    acceptedBad: 0,
    resent: 0,
    partialAnswers: 0,
    refusedAnswers: 0,
    transportErrors: 0,
  };
  const unexpected: string[] = [];
  let pendingEvents = 0;
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let sending = true;

  const isBad = (event: TrackerEvent): boolean => event.ts - clock() > WINDOWS.maxFutureSkewMs;

  const acknowledge = (events: readonly TrackerEvent[]): void => {
    for (const event of events) {
      pendingEvents -= 1;
      if (acked.has(event.eventId)) continue;
      acked.add(event.eventId);
      counters.accepted += 1;
      if (isBad(event)) counters.acceptedBad += 1;
      let model = sessions.get(event.sessionId);
      if (model === undefined) sessions.set(event.sessionId, (model = new Map()));
      model.set(event.eventId, event);
    }
  };

  const later = (ms: number, events: readonly TrackerEvent[]): void => {
    counters.resent += events.length;
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(events);
    }, ms);
    timers.add(timer);
  };

  const send = (events: readonly TrackerEvent[]): void => {
    const first = events[0];
    if (first === undefined) return;
    const plan = planOf.get(first.sessionId);
    if (plan === undefined) throw new Error(`no visit plan for session ${first.sessionId}`);
    counters.requests += 1;
    const work = postEvents({
      edgeUrl: options.edgeUrl,
      ingestKey: options.site.ingestKey,
      origin: options.site.origin,
      userAgent: plan.userAgent,
      sourceIp: plan.sourceIp,
      country: plan.country,
      body: JSON.stringify({ siteId: options.site.siteId, events }),
    })
      .then((answer: EdgeAnswer) => {
        if (answer.status === 200) acknowledge(events);
        else if (answer.status === 207) {
          counters.partialAnswers += 1;
          const refused = refusedEvents(answer.body, events);
          acknowledge(events.filter((event) => !refused.includes(event)));
          later(RETRY_AFTER_207_MS, refused);
        } else if (answer.status === 429 || answer.status >= 500) {
          counters.refusedAnswers += 1;
          later((answer.retryAfterSeconds ?? 1) * 1000, events);
        } else {
          pendingEvents -= events.length;
          unexpected.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        }
      })
      .catch(() => {
        // Unanswered: the events may or may not be on the stream; the resend is idempotent.
        counters.transportErrors += 1;
        later(1_000, events);
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  };

  const planOf = new Map<string, VisitPlan>();
  /** The next request of a random open visit, its timestamps set to now (the plan's pace is not kept). */
  const nextRequest = (): readonly TrackerEvent[] => {
    while (visits.length < openVisits) {
      const plan = planVisit(prng, options.site, clock());
      planOf.set(plan.sessionId, plan);
      visits.push({ plan, next: 0 });
    }
    const index = prng.int(0, visits.length - 1);
    const visit = visits[index] as OpenVisit;
    const due = visit.plan.requests[visit.next];
    visit.next += 1;
    if (visit.next >= visit.plan.requests.length) visits.splice(index, 1);
    const now = clock();
    // Bad on purpose stays a year ahead; the rest is stamped when sent (open visits interleave).
    return (due?.events ?? []).map((event) =>
      event.ts - now > WINDOWS.maxFutureSkewMs ? event : { ...event, ts: now },
    );
  };

  let budget = 0;
  let last = clock();
  const ticker = setInterval(() => {
    if (!sending) return;
    const now = clock();
    budget += ((now - last) / 1000) * options.rate;
    last = now;
    while (budget >= 1) {
      budget -= 1;
      const events = nextRequest();
      if (events.length === 0) continue;
      pendingEvents += events.length;
      send(events);
    }
  }, TICK_MS);

  return {
    sessions,
    stats: () => ({ ...counters, unexpected, pending: pendingEvents }),
    async finish(deadlineMs) {
      sending = false;
      clearInterval(ticker);
      const until = clock() + deadlineMs;
      while ((pendingEvents > 0 || inFlight.size > 0) && clock() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
