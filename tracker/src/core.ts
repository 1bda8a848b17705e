/**
 * The tracker's core: page views (first load, SPA history, back/forward, bfcache restore,
 * prerender), engagement (engaged time and scroll depth) and delivery (batches, retries, the
 * per-tab queue, the session). Written for size — the default build must stay ≤ 2.0 KB gzip and
 * the core ≤ 1.5 KB (DESIGN.md section 6) —, so state lives in module variables and the
 * messages are short; tracker/README.md is the long form.
 *
 * Definitions (DESIGN.md section 3): a page view is counted when the path (pathname, plus the
 * hash with `hash`) differs from the last counted one, whatever moved it (pushState,
 * replaceState, popstate, hashchange); engaged time is time the page is visible and focused,
 * sent as the milliseconds since the previous engagement event (the pipeline adds them up:
 * pipeline/session-aggregate.ts); a session ends after 30 minutes without an event.
 */

import { MAX_TITLE, MAX_URL, SESSION_GAP_MS } from './contract';

/**
 * The options: the script tag's data-* attributes as `dataset` names them (a present boolean
 * attribute is `''` or `true`), or the ESM build's init() argument. tracker/README.md lists them.
 */
export interface TrackerOptions {
  readonly site: string;
  readonly key: string;
  /** Base URL of the ingest API, no trailing slash. */
  readonly api: string;
  readonly hash?: boolean | string;
  readonly manual?: boolean | string;
  /** Comma-separated paths, `*` = anything (an array in the ESM build). */
  readonly exclude?: string | readonly string[];
  readonly include?: string | readonly string[];
  readonly dnt?: boolean | string;
  readonly local?: boolean | string;
  readonly iframe?: boolean | string;
  readonly allowAutomation?: boolean | string;
  readonly memory?: boolean | string;
  readonly notFound?: boolean | string;
  readonly debug?: boolean | string;
}

type Props = Record<string, unknown>;

/** The global `li(...)`: `li('pageview')`, `li('optout')`, `li('optin')`, `li(name, {props})`. */
export type Li = ((name: string, options?: { props?: Props }) => void) & {
  q?: ArrayLike<unknown>[];
  /** Set once a tracker runs on the page, so a second include does nothing. */
  l?: number;
};

/** What the default build adds (extras.ts): custom events, opt-out, DNT, the path filter. */
export interface Extras {
  /** Truthy: this page sends nothing (DNT/GPC, opted out). */
  off?: unknown;
  custom?: (name: unknown, options?: { props?: Props }) => void;
  skip?: (path: string) => unknown;
  /** Runs after the first view. */
  go?: () => void;
}

declare global {
  interface Document {
    /** Speculation Rules prerendering (Chromium 108+); undefined elsewhere. */
    readonly prerendering?: boolean;
  }
}

type Fields = Record<string, unknown>;

export const w = window;
export const d = document;
export const n = navigator;
export const loc = location;
const now = Date.now;

let c: TrackerOptions;
let x: Extras = {};
let out: unknown;
/** Session id, next seq, time of the last event. */
let session: [string, number, number] | undefined;
let queue: Fields[] = [];
let inflight: unknown;
let timer: ReturnType<typeof setTimeout> | undefined;
/** The last view's event until its title is read (the router sets it after the URL). */
let titled: Fields | undefined;
let tries = 0;
let retryAt = 0;
/** The last counted path, and the URL of the current page view (engagement belongs to it). */
let path: string;
let url = '';
let since = 0;
let engaged = 0;
let depth = 0;
let sentDepth = 0;

export const log = (e: unknown): unknown => c.debug && console.warn('li', e);

/** `f` that never throws into the host page. */
const guard =
  (f: (e: Event) => unknown) =>
  (e?: unknown): void => {
    try {
      f(e as Event);
    } catch (error) {
      log(error);
    }
  };

/** A guarded listener (capture: the page stopping propagation does not hide its events from us). */
export const on = (target: EventTarget, type: string, f: (e: Event) => unknown): void =>
  target.addEventListener(type, guard(f), true);

/** 128 random bits as four decimal numbers joined by `_` (ids: [A-Za-z0-9_-], 16–64 chars). */
const rid = (): string => crypto.getRandomValues(new Uint32Array(4)).join('_');
const pathKey = (): string => loc.pathname + (c.hash ? loc.hash : '');

function save(): void {
  try {
    // sessionStorage key `li`: `[session, queue]` (tracker/README.md "Privacy").
    if (!c.memory) sessionStorage.li = JSON.stringify([session, queue]);
  } catch {
    // Full or refused storage: the queue lives in memory only.
  }
}

/**
 * Queues one event of the current session; `u` defaults to the current page view's URL. Page
 * views and engagement stay far under the 8 KB event limit by their capped fields; custom
 * events are measured in extras.ts.
 */
export function send(type: string, fields: Fields, u = url): Fields | undefined {
  if (out) return;
  const t = now();
  if (!session || t - session[2] > SESSION_GAP_MS) session = [rid(), 0, t];
  session[2] = t;
  const e: Fields = {
    eventId: rid(),
    sessionId: session[0],
    seq: session[1]++,
    type,
    ts: t,
    url: u,
    ...fields,
  };
  if (c.allowAutomation && n.webdriver) e['automation'] = true;
  if (queue.push(e) > 200) queue.shift();
  save();
  if (queue.length > 9) flush();
  else timer = timer || setTimeout(flush, 1e3);
  return e;
}

/**
 * Sends the oldest queued events as one simple request: text/plain, the key in the query string.
 * `beacon`: the page is going away — sendBeacon, even beside a fetch in flight; otherwise one
 * keepalive fetch at a time, whose answer decides the retries.
 */
export function flush(beacon?: unknown): void {
  timer = clearTimeout(timer)!;
  title();
  if (!queue.length || (inflight && !beacon) || !n.onLine) return;
  // Still backing off (a timer may fire a little before Date.now() reaches retryAt): wait the rest.
  const wait = retryAt - now();
  if (wait > 0) return void (timer = setTimeout(flush, wait));
  let count = 0;
  let bytes = 0;
  // ≤ 10,000 UTF-16 units, ≤ 30 KB of UTF-8: a fetch and a beacon in flight stay within the
  // 64 KiB keepalive budget. Every event is shorter (custom events are held under 7 KB: CUSTOM_BYTES).
  for (const e of queue) if ((bytes += JSON.stringify(e).length) < 1e4) count++;
  const batch = queue.splice(0, count);
  save();
  const body = JSON.stringify({ siteId: c.site, events: batch });
  const target = `${c.api}/events?key=${encodeURIComponent(c.key)}`;
  if (beacon && n.sendBeacon(target, body)) return;
  inflight = 1;
  let after: string | null = null;
  fetch(target, { method: 'POST', body, keepalive: true })
    .then((r) =>
      // 207: the refused indexes; 429/5xx: all, after Retry-After; 400/403/413: none (resending
      // cannot help; the contract's limits are checked before queueing).
      r.status == 207
        ? r
            .json()
            .then((b: { failed: { index: number }[] }) => b.failed.map((f) => batch[f.index]!))
        : r.status == 429 || r.status > 499
          ? ((after = r.headers.get('retry-after')), batch)
          : [],
    )
    // A network error or an unreadable 207: the same events again, later.
    .catch(() => batch)
    .then((refused) => {
      inflight = 0;
      if (refused.length) {
        // The refused events back in front (same objects: same eventIds), retried after
        // Retry-After seconds (an HTTP date or none: backoff, 1 s doubling to 60 s, with jitter).
        queue = refused.concat(queue);
        save();
        retryAt =
          now() + (+after! * 1e3 || Math.min(6e4, 1e3 * 2 ** tries++) * (0.5 + Math.random() / 2));
      } else tries = 0;
      // Sends what waits, or (backing off) sets the timer for retryAt.
      flush();
    });
}

function tick(): void {
  const t = now();
  if (since) engaged += t - since;
  since = !d.hidden && d.hasFocus() ? t : 0;
}

function scrolled(): void {
  const h = d.documentElement.scrollHeight;
  depth = Math.max(depth, Math.min(100, Math.round(((scrollY + innerHeight) / h) * 100) || 0));
}

/** Sends the current page view's engagement gathered since its last engagement event. */
function report(): void {
  tick();
  if (url && (engaged || depth > sentDepth)) {
    send('engagement', { engagedMs: engaged, scrollDepth: depth });
    engaged = 0;
    sentDepth = depth;
  }
}

/** Counts a view of the current location, after naming the previous view and reporting its engagement. */
function view(): void {
  title();
  report();
  path = pathKey();
  url = x.skip?.(loc.pathname)
    ? ''
    : (c.hash ? loc.href : loc.href.split('#')[0]!).slice(0, MAX_URL);
  if (!url) return;
  engaged = depth = sentDepth = 0;
  tick();
  scrolled();
  titled = send('pageview', {
    referrer: d.referrer.slice(0, MAX_URL) || undefined,
    screen: { w: screen.width, h: screen.height },
    lang: n.language,
  });
}

/**
 * The last view's title, read as late as possible — at the next navigation (before the router
 * has set the new page's title) or when its batch is sent — as SPA routers set it after the URL.
 */
function title(): void {
  if (titled) titled['title'] = d.title.slice(0, MAX_TITLE);
  titled = undefined;
}

/** A history or hash change: a new view when the path changed. */
function navigated(): void {
  if (pathKey() != path && !c.manual) view();
}

function hide(e: Event): void {
  report();
  // Hidden time is not engaged, and a page frozen in the bfcache must not count its stay there.
  since = 0;
  flush(e.type == 'pagehide' || inflight);
}

/** Reads the tab's session and queue: at start, and after a bfcache restore (other pages of the tab moved them on). */
function load(): void {
  try {
    // None stored: JSON.parse(undefined) throws, a fresh session as for unreadable storage.
    const stored = !c.memory && JSON.parse(sessionStorage.li);
    if (stored) [session, queue] = stored;
  } catch {
    // Unreadable storage: a fresh session.
  }
}

/** Stops (truthy) or resumes sending at once: li('optout') / li('optin'). */
export const halt = (flag: unknown): unknown => (out = flag);

/**
 * Starts the tracker once per page: installs `window.li`, replays the calls queued before the
 * script loaded, counts the first view (for a prerendered page, once it is shown).
 */
export function start(
  options: TrackerOptions,
  extras?: (c: TrackerOptions) => Extras,
): Li | undefined {
  const old = (w as unknown as { li?: Li }).li;
  if (old?.l) return undefined;
  c = options;
  const li: Li = (name, o) => guard(() => (name == 'pageview' ? view() : x.custom?.(name, o)))();
  li.l = 1;
  (w as unknown as { li: Li }).li = li;
  if (extras) x = extras(c);
  if (
    x.off ||
    (w != w.top && !c.iframe) ||
    (n.webdriver && !c.allowAutomation) ||
    (!c.local && /^(localhost|127\.|\[::1\]$|$)/.test(loc.hostname))
  ) {
    log('off');
    return li;
  }
  load();
  const guarded = guard(navigated);
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = history[m];
    history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
      // The page's own call first, its result returned: our part can never change it.
      const result = original.apply(this, a);
      guarded();
      return result;
    };
  }
  on(w, 'popstate', navigated);
  if (c.hash) on(w, 'hashchange', navigated);
  on(w, 'scroll', scrolled);
  on(w, 'focus', tick);
  on(w, 'blur', tick);
  on(d, 'visibilitychange', (e) => (d.hidden ? hide(e) : tick()));
  on(w, 'pagehide', hide);
  // A restore from the back/forward cache is a new view of the page.
  on(w, 'pageshow', (e) => {
    // The page that was left may still be writing its last events to the tab's storage: the
    // session (and its next seq) is read once those have landed.
    if ((e as PageTransitionEvent).persisted && !c.manual)
      setTimeout(() => {
        load();
        view();
      }, 100);
  });
  on(w, 'online', flush);
  setInterval(() => {
    tick();
    if (engaged > 6e4 || depth > sentDepth + 24) report();
  }, 15e3);
  const go = (): void => {
    if (!c.manual) view();
    x.go?.();
    for (const a of old?.q || []) li(...(a as Parameters<Li>));
    flush();
  };
  if (d.prerendering) on(d, 'prerenderingchange', go);
  else go();
  return li;
}
