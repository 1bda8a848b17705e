/**
 * POSTs one tracker batch to the edge the way a browser would (API key, Origin, user agent),
 * from a chosen loopback address so the edge sees the visitor's own source IP.
 */
import { request } from 'node:http';

export interface EdgeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterSeconds: number | undefined;
}

export interface PostOptions {
  readonly edgeUrl: string;
  readonly ingestKey: string;
  readonly origin: string;
  readonly userAgent: string;
  readonly sourceIp: string;
  readonly country: string;
  readonly body: string;
  readonly timeoutMs?: number;
}

export function postEvents(options: PostOptions): Promise<EdgeAnswer> {
  const url = new URL('/events', options.edgeUrl);
  url.searchParams.set('key', options.ingestKey);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress: options.sourceIp,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          // What the tracker sends: a CORS-simple request, key in the query.
          'content-type': 'text/plain;charset=UTF-8',
          'content-length': Buffer.byteLength(options.body),
          origin: options.origin,
          'user-agent': options.userAgent,
          ...(options.country === '' ? {} : { 'cloudfront-viewer-country': options.country }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? undefined : (JSON.parse(text) as unknown);
          } catch {
            // Not JSON: keep the text so the caller can report it.
          }
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0,
            body,
            retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${url.href} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
