/**
 * AWS Signature Version 4 for one kind of request: a POST with a string body and no query, as
 * the edge's AWS integration sends (AWS JSON protocols). Synchronous, with the derived signing
 * key kept for its day: profiling the edge at 1,000 requests/s put @smithy/signature-v4 at about
 * 0.06 ms a request (a generic signer: request cloning, header filtering, eight awaits), this at
 * about a sixth of that. sigv4.test.ts checks it against @smithy/signature-v4 byte for byte.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';

export interface SigV4Request {
  /** The URI path, e.g. `/`. */
  readonly path: string;
  /** Header names in lowercase; every one is signed. `x-amz-date` is added by the signer. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

/** `20260101T000000Z` */
function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** RFC 3986 encoding of each path segment, as SigV4's canonical URI wants. */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

export class SigV4Signer {
  private keyDay = '';
  private key: Buffer = Buffer.alloc(0);

  constructor(
    private readonly credentials: AwsCredentialIdentity,
    private readonly region: string,
    private readonly service: string,
  ) {}

  /** Adds `x-amz-date` (and the session token, if any) and `authorization` to the headers. */
  sign(request: SigV4Request, at: Date = new Date()): void {
    const date = amzDate(at);
    const day = date.slice(0, 8);
    const headers = request.headers;
    headers['x-amz-date'] = date;
    if (this.credentials.sessionToken !== undefined) {
      headers['x-amz-security-token'] = this.credentials.sessionToken;
    }
    const names = Object.keys(headers).sort();
    let canonicalHeaders = '';
    for (const name of names) {
      canonicalHeaders += `${name}:${(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`;
    }
    const signedHeaders = names.join(';');
    const canonicalRequest = `POST\n${canonicalPath(request.path)}\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256Hex(request.body)}`;
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const stringToSign = `${ALGORITHM}\n${date}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.signingKey(day))
      .update(stringToSign, 'utf8')
      .digest('hex');
    headers['authorization'] =
      `${ALGORITHM} Credential=${this.credentials.accessKeyId}/${scope}, ` +
      `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }

  /** kSigning = HMAC chain over day, region, service; the same all day. */
  private signingKey(day: string): Buffer {
    if (day !== this.keyDay) {
      const dated = hmac(`AWS4${this.credentials.secretAccessKey}`, day);
      this.key = hmac(hmac(hmac(dated, this.region), this.service), 'aws4_request');
      this.keyDay = day;
    }
    return this.key;
  }
}
