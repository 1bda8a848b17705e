/**
 * The page URL of an event → host, normalised path, UTM parameters and ad click id.
 *
 * Path normalisation (so one page is one row in "top pages"): no query or fragment, duplicate
 * slashes collapsed, no trailing slash except for the root. The WHATWG URL parser already
 * lower-cases the host, resolves `.`/`..` segments and percent-encodes consistently.
 */
import { clickIdIn, type ClickId } from './channel-group';

export interface Utm {
  readonly source?: string;
  readonly medium?: string;
  readonly campaign?: string;
  readonly term?: string;
  readonly content?: string;
}

export interface PageUrl {
  /** Lower-case host name (no port: one site is one host however it is served). */
  readonly host: string;
  /** Host without a leading `www.`, for same-site comparisons. */
  readonly siteHost: string;
  readonly path: string;
  readonly utm: Utm | undefined;
  /** An ad platform's click id in the query (gclid, msclkid, …): a paid visit. */
  readonly clickId: ClickId | undefined;
}

/** UTM values come from URLs anyone can craft: keep them short. */
const MAX_UTM_LENGTH = 100;

/** Undefined when `url` is not an absolute http(s) URL the WHATWG parser accepts. */
export function parsePageUrl(url: string): PageUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.hostname === '') return undefined;
  const host = parsed.hostname;
  return {
    host,
    siteHost: stripWww(host),
    path: normalisePath(parsed.pathname),
    utm: parsed.search.includes('utm_') ? readUtm(parsed.searchParams) : undefined,
    clickId: parsed.search.length > 1 ? clickIdIn(parsed.searchParams) : undefined,
  };
}

export function normalisePath(pathname: string): string {
  let path = pathname.includes('//') ? pathname.replace(/\/{2,}/g, '/') : pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path === '' ? '/' : path;
}

export function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

function readUtm(params: URLSearchParams): Utm | undefined {
  const utm: { -readonly [K in keyof Utm]: string } = {};
  const source = clean(params.get('utm_source'))?.toLowerCase();
  const medium = clean(params.get('utm_medium'))?.toLowerCase();
  const campaign = clean(params.get('utm_campaign'));
  const term = clean(params.get('utm_term'));
  const content = clean(params.get('utm_content'));
  if (source !== undefined) utm.source = source;
  if (medium !== undefined) utm.medium = medium;
  if (campaign !== undefined) utm.campaign = campaign;
  if (term !== undefined) utm.term = term;
  if (content !== undefined) utm.content = content;
  return Object.keys(utm).length === 0 ? undefined : utm;
}

function clean(value: string | null): string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return trimmed.length > MAX_UTM_LENGTH ? trimmed.slice(0, MAX_UTM_LENGTH) : trimmed;
}
