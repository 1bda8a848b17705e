/** The edge's /li.js and /demo/ routes: the built script, its SRI, the demo page with the demo site's tag. */
import { createHash } from 'node:crypto';
import type { EdgeRequest, Route } from '../edge/router';
import { trackerRoutes, type DemoSiteTag } from './tracker-routes';

const request = (path: string): EdgeRequest => ({
  method: 'GET',
  path,
  query: {},
  headers: {},
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  receivedAt: Date.now(),
  requestId: 'test',
  protocol: 'HTTP/1.1',
});

let seeded: DemoSiteTag | undefined;
const tracker = trackerRoutes(() => seeded);
const route = (path: string): Route => {
  const found = tracker.routes.find((r) => r.path === path);
  if (found === undefined) throw new Error(`no route ${path}`);
  return found;
};

describe('tracker routes', () => {
  it('serves li.js with CORS for SRI, and the manifest integrity is the SHA-384 of those bytes', async () => {
    const answer = await route('/li.js').handler(request('/li.js'));
    expect(answer.status).toBe(200);
    expect(answer.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(answer.headers['Access-Control-Allow-Origin']).toBe('*');
    const sha = createHash('sha384').update(answer.body).digest('base64');
    expect(tracker.manifest.integrity).toBe(`sha384-${sha}`);
  });

  it('answers the demo page with 503 until the demo site is seeded, then with its tag on every route', async () => {
    seeded = undefined;
    expect((await route('/demo/').handler(request('/demo/'))).status).toBe(503);
    seeded = {
      siteId: 'demo-shop',
      ingestKey: 'li_demo-shop_LocalDemoKeyNotASecret0000000000',
      origin: 'http://localhost:3000',
    };
    for (const path of ['/demo/', '/demo/pricing', '/demo/docs']) {
      const page = await route(path).handler(request(path));
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain(tracker.tagFor(seeded));
    }
    expect(tracker.tagFor(seeded)).toBe(
      `<script defer src="http://localhost:3000/li.js" integrity="${tracker.manifest.integrity}" ` +
        'crossorigin="anonymous" data-site="demo-shop" data-key="li_demo-shop_LocalDemoKeyNotASecret0000000000" ' +
        'data-api="http://localhost:3000" data-local></script>',
    );
  });
});
