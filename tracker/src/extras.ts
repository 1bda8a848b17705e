/**
 * What the default build adds to the core: custom events with the contract's limits checked
 * before sending (a console warning with `debug`), outbound-link and file-download clicks
 * (click and middle-click; never delaying the navigation: the event is queued and the page's
 * hide sends it by beacon), elements tagged `data-li-event="Name"` (+ `data-li-props='{"key":"value"}'`),
 * and the include/exclude path filter.
 */
import {
  CUSTOM_BYTES,
  MAX_MAGNITUDE,
  MAX_NAME,
  MAX_PROP_STRING,
  MAX_PROPS,
  MIN_MAGNITUDE,
  PROP_KEY,
} from './contract';
import { d, halt, log, loc, n, on, send, type Extras, type TrackerOptions } from './core';
import { EVENT_NAMES } from './event-names';

type Props = Record<string, unknown>;

declare global {
  interface Navigator {
    readonly globalPrivacyControl?: boolean;
  }
}

/** Checks the contract (schemas/ingest.ts): name 1–128 chars; ≤ 30 props, keys PROP_KEY_PATTERN, values ≤ 500 chars, boolean, or a number DynamoDB holds. */
function custom(name: unknown, options?: { props?: Props }): void {
  if (typeof name != 'string' || !name || name.length > MAX_NAME) return void log(['name', name]);
  const props: Props = {};
  let count = 0;
  for (const [k, v] of Object.entries(options?.props || {})) {
    const a = Math.abs(v as number);
    if (
      count < MAX_PROPS &&
      PROP_KEY.test(k) &&
      (typeof v == 'string'
        ? v.length <= MAX_PROP_STRING
        : // v === +v: a number, not NaN; DynamoDB holds 0 and magnitudes 1e-130 to 1e125.
          typeof v == 'boolean' ||
          (v === +(v as number) && !(a > MAX_MAGNITUDE || (a && a < MIN_MAGNITUDE))))
    ) {
      props[k] = v;
      count++;
    } else log(['prop', k]);
  }
  const e = { name, props: count ? props : undefined };
  // LIMITS.maxEventBytes is 8 KB for the whole event: 7 KB of name and props leave room for the rest.
  if (new Blob([JSON.stringify(e)]).size > CUSTOM_BYTES) log(['size', name]);
  else send('custom', e, loc.href.split('#')[0]);
}

function clicked(e: Event): void {
  if ((e as MouseEvent).button > 1) return;
  const target = e.target as Element;
  const tagged = target.closest('[data-li-event]') as HTMLElement | null;
  // data-li-props is JSON: `data-li-props='{"plan":"pro"}'`.
  if (tagged)
    custom(tagged.dataset['liEvent'], { props: JSON.parse(tagged.dataset['liProps'] || '{}') });
  const a = target.closest('a[href]') as HTMLAnchorElement | null;
  if (!a || !/^http/.test(a.protocol)) return;
  const file =
    a.hasAttribute('download') ||
    /\.(pdf|zip|gz|7z|rar|dmg|exe|msi|pkg|deb|apk|iso|csv|xlsx?|docx?|pptx?|txt|mp[34]|mov)$/i.test(
      a.pathname,
    );
  if (file || a.host != loc.host)
    custom(file ? EVENT_NAMES.download : EVENT_NAMES.outbound, {
      props: { url: a.href.slice(0, MAX_PROP_STRING) },
    });
}

/** `*` matches anything; every other character literally. Lists are comma-separated or arrays. */
function matches(list: unknown, path: string): boolean {
  return `${list}`
    .split(',')
    .some((g) =>
      RegExp(`^${g.trim().replace(/\W/g, (s) => (s == '*' ? '.*' : `\\${s}`))}$`).test(path),
    );
}

export function extras(c: TrackerOptions): Extras {
  const optOut = (flag: string): void => {
    halt(flag);
    try {
      // localStorage key `li_optout` (tracker/README.md "Privacy"): "1", or absent.
      if (flag) localStorage.li_optout = flag;
      else delete localStorage.li_optout;
    } catch {
      // Storage refused: the choice holds for this page.
    }
  };
  const off: unknown = c.dnt && (n.doNotTrack == '1' || n.globalPrivacyControl);
  try {
    halt(localStorage.li_optout);
  } catch {
    // No storage: no opt-out flag either.
  }
  return {
    off,
    custom: (name, options) =>
      name == 'optout' ? optOut('1') : name == 'optin' ? optOut('') : custom(name, options),
    skip: (p) => (c.exclude && matches(c.exclude, p)) || (c.include && !matches(c.include, p)),
    go: () => {
      on(d, 'click', clicked);
      on(d, 'auxclick', clicked);
      if (c.notFound) custom(EVENT_NAMES.notFound, { props: { path: loc.pathname } });
    },
  };
}
