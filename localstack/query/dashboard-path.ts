/** Where the local edge serves the dashboard; `dashboardUrl` builds the link `npm start` prints. */
export const DASHBOARD_PATH_PREFIX = '/dashboard/';

/**
 * The dashboard link for a site: the site in the query, the read token in the fragment (never
 * sent to a server, so never in an access log); the page moves it to sessionStorage at once.
 */
export function dashboardUrl(edgeUrl: string, siteId: string, readToken: string): string {
  return `${edgeUrl.replace(/\/$/, '')}${DASHBOARD_PATH_PREFIX}?siteId=${encodeURIComponent(siteId)}#token=${encodeURIComponent(readToken)}`;
}
