/**
 * Test support for the tracker's browser tests: two tiny HTTP servers on 127.0.0.1 — the site
 * (fixture pages, li.js as built) and, on another port so every call is cross-origin as on a
 * real site, a recording ingest endpoint that answers as the contract says (200, or what a test
 * scripts: 207, 429 with Retry-After, 503) and keeps every request it saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['LIVEINSIGHT_CHROMIUM'] ?? '/usr/bin/chromium';

export interface SentEvent {
  readonly eventId: string;
  readonly sessionId: string;
  readonly seq: number;
  readonly type: 'pageview' | 'engagement' | 'custom';
  readonly ts: number;
  readonly url: string;
  readonly [field: string]: unknown;
}

export interface IngestRequest {
  readonly method: string;
  readonly key: string | null;
  readonly contentType: string | undefined;
  readonly origin: string | undefined;
  readonly siteId: string;
  readonly events: readonly SentEvent[];
  /** Index of each event the answer refused (a 207's `failed`, or all of a 429/5xx). */
  readonly refused: ReadonlySet<number>;
  readonly status: number;
  readonly at: number;
}

export interface Answer {
  /** 0: no answer at all, the connection is dropped (the browser sees a network error). */
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Page {
  readonly html: string;
  readonly headers?: Record<string, string>;
}

export interface TrackerTestServers {
  readonly siteUrl: string;
  readonly apiUrl: string;
  /** Fixture pages by path on the site server. */
  readonly pages: Map<string, Page>;
  /** Every request the ingest endpoint saw, in arrival order. */
  readonly requests: IngestRequest[];
  /** Scripts the next answers of the ingest endpoint for a site (first in, first used). */
  answerNext(siteId: string, ...answers: ((events: readonly SentEvent[]) => Answer)[]): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Retry-After',
};

export async function startTrackerTestServers(
  scripts: Readonly<Record<string, string>>,
): Promise<TrackerTestServers> {
  const pages = new Map<string, Page>();
  const requests: IngestRequest[] = [];
  const scripted = new Map<string, ((events: readonly SentEvent[]) => Answer)[]>();

  const site = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const script = scripts[path];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', ...CORS });
      response.end(script);
      return;
    }
    // Any path under a fixture page is that page (an SPA's server answers every route).
    const page = [...pages.entries()]
      .filter(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))
      .sort((a, b) => b[0].length - a[0].length)[0]?.[1];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers });
      response.end(page.html);
      return;
    }
    if (path.startsWith('/files/')) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end('file');
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });

  const api = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const text = await readBody(request);
      if (url.pathname !== '/events' || request.method !== 'POST') {
        // A page elsewhere on this origin: the target of outbound links.
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'text/html' });
          response.end('<title>elsewhere</title>');
          return;
        }
        requests.push({
          method: request.method ?? '',
          key: url.searchParams.get('key'),
          contentType: request.headers['content-type'],
          origin: request.headers.origin,
          siteId: '',
          events: [],
          refused: new Set(),
          status: 405,
          at: Date.now(),
        });
        response.writeHead(405, CORS);
        response.end();
        return;
      }
      const batch = JSON.parse(text) as { siteId: string; events: SentEvent[] };
      const answer = scripted.get(batch.siteId)?.shift()?.(batch.events) ?? {
        status: 200,
        body: { accepted: batch.events.length },
      };
      const failed = (answer.body as { failed?: { index: number }[] } | undefined)?.failed;
      const refused = new Set<number>(
        answer.status === 207
          ? (failed ?? []).map((entry) => entry.index)
          : answer.status >= 300 || answer.status === 0
            ? batch.events.map((_, index) => index)
            : [],
      );
      requests.push({
        method: 'POST',
        key: url.searchParams.get('key'),
        contentType: request.headers['content-type'],
        origin: request.headers.origin,
        siteId: batch.siteId,
        events: batch.events,
        refused,
        status: answer.status,
        at: Date.now(),
      });
      if (answer.status === 0) {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...CORS,
        ...answer.headers,
      });
      response.end(JSON.stringify(answer.body ?? {}));
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });

  const [siteUrl, apiUrl] = await Promise.all([listen(site), listen(api)]);
  return {
    siteUrl,
    apiUrl,
    pages,
    requests,
    answerNext(siteId, ...answers) {
      scripted.set(siteId, [...(scripted.get(siteId) ?? []), ...answers]);
    },
    async close() {
      site.closeAllConnections();
      api.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => site.close(resolve)),
        new Promise((resolve) => api.close(resolve)),
      ]);
    },
  };
}

/**
 * Debian's Chromium, never a downloaded one. `navigator.webdriver` is off (the tracker skips
 * automated browsers unless told; tests that need it turn it on per page), and the
 * back/forward cache is on (Playwright turns it off by default).
 */
export async function launchTrackerChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-blink-features=AutomationControlled',
    ],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
}

/** Polls `probe` until it gives a value (not undefined/false) or the deadline passes. */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await probe();
    if (last !== undefined && last !== false) return last as T;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
