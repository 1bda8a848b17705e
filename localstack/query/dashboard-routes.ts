/**
 * The live dashboard on the local edge: the files of dashboard/ under `/dashboard/`, with the
 * security headers CloudFront adds on AWS (same CSP, calling only this origin), and a
 * `config.json` naming the query API (this origin, as the page and the API share the edge).
 * Files are read once at start; the route list is exact paths, like the edge's router.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { DASHBOARD_PATH_PREFIX } from './dashboard-path';
import { dashboardContentSecurityPolicy } from '../../infra/api/dashboard-spec';
import type { EdgeResponse, Route } from '../edge/router';

export const DASHBOARD_DIRECTORY = join(__dirname, '..', '..', 'dashboard');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** What CloudFront's response headers policy sets (infra/constructs/dashboard-hosting.ts), minus HSTS (plain HTTP locally). */
export const LOCAL_DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': dashboardContentSecurityPolicy("'self'"),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // Edits to dashboard/ show on reload; the files are tiny.
  'Cache-Control': 'no-cache',
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function fileResponse(body: Buffer, path: string): EdgeResponse {
  const type = CONTENT_TYPES[extname(path)];
  if (type === undefined) {
    throw new Error(
      `dashboard file ${path} has an unknown type (expected one of ${Object.keys(CONTENT_TYPES).join(', ')})`,
    );
  }
  return { status: 200, headers: { 'Content-Type': type, ...LOCAL_DASHBOARD_HEADERS }, body };
}

export interface DashboardRoutesOptions {
  /** Default: the repository's dashboard/ folder. */
  readonly directory?: string;
  /** Base URL of the query API written to config.json (default '' = this origin). */
  readonly apiUrl?: string;
}

export function dashboardRoutes(options: DashboardRoutesOptions = {}): Route[] {
  const directory = options.directory ?? DASHBOARD_DIRECTORY;
  const routes: Route[] = filesUnder(directory)
    .filter((path) => CONTENT_TYPES[extname(path)] !== undefined)
    .map((path) => {
      const body = readFileSync(path);
      const urlPath = `${DASHBOARD_PATH_PREFIX}${relative(directory, path).split(sep).join('/')}`;
      const response = fileResponse(body, path);
      return { method: 'GET', path: urlPath, handler: () => Promise.resolve(response) };
    });
  const index = routes.find((route) => route.path === `${DASHBOARD_PATH_PREFIX}index.html`);
  if (index === undefined) {
    throw new Error(`${directory} has no index.html (expected the dashboard's page there)`);
  }
  const config = fileResponse(
    Buffer.from(JSON.stringify({ apiUrl: options.apiUrl ?? '' })),
    'config.json',
  );
  return [
    ...routes.filter((route) => !route.path.endsWith('/config.json')),
    { method: 'GET', path: DASHBOARD_PATH_PREFIX, handler: index.handler },
    {
      method: 'GET',
      path: `${DASHBOARD_PATH_PREFIX}config.json`,
      handler: () => Promise.resolve(config),
    },
    {
      method: 'GET',
      path: DASHBOARD_PATH_PREFIX.slice(0, -1),
      handler: () =>
        Promise.resolve({ status: 301, headers: { Location: DASHBOARD_PATH_PREFIX }, body: '' }),
    },
  ];
}
