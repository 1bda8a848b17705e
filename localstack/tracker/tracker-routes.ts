/**
 * The tracker on the local edge: `GET /li.js` (the default build, as CloudFront serves it on
 * AWS but uncached, so an edit shows on reload after a restart) and a demo single-page app under
 * `/demo/` that uses it with the demo site's tag (`npm start` prints the URL). The script is
 * built once when the routes are made (esbuild, ~50 ms).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptTag, type TrackerManifest } from '../../pipeline/script-tag';
import { buildOne, manifestOf } from '../../tracker/build/build-tracker';
import type { EdgeResponse, Route } from '../edge/router';

export const TRACKER_SCRIPT_PATH = '/li.js';
export const DEMO_PAGE_PATH = '/demo/';
/** The demo SPA's routes (tracker/demo/app.js): each answers the same page. */
export const DEMO_ROUTES = ['/demo/', '/demo/pricing', '/demo/docs'] as const;
const DEMO_DIRECTORY = join(__dirname, '..', '..', 'tracker', 'demo');

export interface DemoSiteTag {
  readonly siteId: string;
  readonly ingestKey: string;
  /** The edge's origin: script and ingest API. */
  readonly origin: string;
}

export interface TrackerRoutes {
  readonly routes: Route[];
  readonly manifest: TrackerManifest;
  /** The demo site's tag as served by this edge (what npm start prints and demo.json keeps). */
  tagFor(site: DemoSiteTag): string;
}

/**
 * `demoSite` is read per request: the edge seeds the demo site's key after the routes are
 * mounted. Until it answers, /demo/ says so (503).
 */
export function trackerRoutes(demoSite: () => DemoSiteTag | undefined): TrackerRoutes {
  const built = buildOne('default');
  const manifest = manifestOf(built);
  const script: EdgeResponse = {
    status: 200,
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      // SRI on a cross-origin script needs CORS (crossorigin="anonymous").
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    },
    body: built.code,
  };
  const tagFor = (site: DemoSiteTag): string =>
    scriptTag({
      scriptUrl: `${site.origin}${TRACKER_SCRIPT_PATH}`,
      siteId: site.siteId,
      ingestKey: site.ingestKey,
      apiUrl: site.origin,
      integrity: manifest.integrity,
      // The demo runs on localhost, which sites skip unless they say otherwise.
      flags: ['local'],
    });
  const page = readFileSync(join(DEMO_DIRECTORY, 'index.html'), 'utf8');
  const staticFile = (name: string): EdgeResponse => ({
    status: 200,
    headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' },
    body: readFileSync(join(DEMO_DIRECTORY, name)),
  });
  const files = { '/demo/app.js': staticFile('app.js'), '/demo/queue.js': staticFile('queue.js') };
  const demoPage = async (): Promise<EdgeResponse> => {
    const site = demoSite();
    if (site === undefined) {
      return {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'The demo site is not seeded yet (expected demo-shop and its ingest key); retry in a moment.',
      };
    }
    return {
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
      body: page.replace('<!--TRACKER_TAG-->', tagFor(site)),
    };
  };
  return {
    manifest,
    tagFor,
    routes: [
      { method: 'GET', path: TRACKER_SCRIPT_PATH, handler: () => Promise.resolve(script) },
      ...Object.entries(files).map(([path, response]) => ({
        method: 'GET',
        path,
        handler: () => Promise.resolve(response),
      })),
      ...DEMO_ROUTES.map((path) => ({ method: 'GET', path, handler: demoPage })),
      {
        method: 'GET',
        path: '/demo',
        handler: () =>
          Promise.resolve({ status: 301, headers: { Location: DEMO_PAGE_PATH }, body: '' }),
      },
    ],
  };
}
