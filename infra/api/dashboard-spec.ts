/**
 * The dashboard's response headers as plain data, read by both CloudFront's response headers
 * policy (infra/constructs/dashboard-hosting.ts) and the local edge (localstack/query/), so the
 * page runs under the same Content-Security-Policy everywhere.
 */

/**
 * Its own scripts and styles only, no inline code, no framing; `connect-src` names where the
 * query API is (`'self'` locally; on AWS the stage's own API origin, never a wildcard: the page
 * sends a read token with every call).
 */
export function dashboardContentSecurityPolicy(apiSources: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${apiSources}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const DASHBOARD_HSTS_SECONDS = 365 * 24 * 60 * 60;
