/**
 * Answers to requests Node's HTTP parser refuses before the edge sees them (malformed framing,
 * oversized headers, methods it does not know, timeouts). Node would answer a bare
 * `400 Bad Request` or `431` with no body, or reset the connection; the edge answers in the
 * error contract with the status that says what was wrong, and closes the connection (the bytes
 * after a framing error cannot be trusted to start a request).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, maxHeaderSize } from 'node:http';
import { CORS_HEADERS, JSON_MEDIA_TYPE, SECURITY_HEADERS } from '../../infra/api/ingest-api-spec';
import { type EdgeError, edgeErrorBody } from './http-answer';

/** What Node passes to `clientError`: llhttp's code and reason, and the bytes it was parsing. */
export interface ClientError {
  readonly code?: string;
  readonly reason?: string;
  readonly rawPacket?: Buffer;
  /** Where in rawPacket the parser stopped (rawPacket may hold earlier pipelined requests). */
  readonly bytesParsed?: number;
}

export interface ClientErrorAnswer extends EdgeError {
  readonly headers: Readonly<Record<string, string>>;
}

/** RFC 9110 token characters: what a method may be made of. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^(\S+) (\S+) HTTP\/\d\.\d\r?\n/;

function headerValue(raw: string, name: string): string | undefined {
  return new RegExp(`\\r\\n${name}:[ \\t]*([^\\r\\n]*)`, 'i').exec(raw)?.[1];
}

function pathOf(target: string): string {
  try {
    return new URL(target, 'http://edge.local').pathname;
  } catch {
    return target;
  }
}

const badRequest = (message: string, error: ClientError): ClientErrorAnswer => ({
  status: 400,
  code: 'bad_request',
  message,
  details: { httpError: error.code ?? 'unknown' },
  headers: {},
});

/**
 * The answer for a parser error; undefined when there is no one to answer (the client reset or
 * closed the connection).
 * @param methodsOf the methods the edge serves on a path, undefined for an unknown path
 */
export function answerClientError(
  error: ClientError,
  methodsOf: (path: string) => readonly string[] | undefined,
): ClientErrorAnswer | undefined {
  const code = error.code ?? '';
  const raw = error.rawPacket?.toString('latin1') ?? '';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      code: 'request_timeout',
      message: 'The request did not arrive completely in time; send it again',
      headers: {},
    };
  }
  if (!code.startsWith('HPE_')) return undefined;
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers_too_large',
        message: `The request line and headers exceed ${maxHeaderSize} bytes; send fewer or shorter headers`,
        headers: {},
      };
    case 'HPE_INVALID_METHOD': {
      // The request line the error is in: the line around the point where the parser stopped.
      const stop = Math.min(error.bytesParsed ?? 0, raw.length);
      const line = REQUEST_LINE.exec(raw.slice(raw.lastIndexOf('\n', stop - 1) + 1));
      const method = line?.[1];
      const target = line?.[2];
      if (method === undefined || target === undefined || !METHOD_TOKEN.test(method)) {
        return badRequest(
          `The request does not start with an HTTP/1.1 request line (received ${JSON.stringify(raw.slice(0, 40))})`,
          error,
        );
      }
      const path = pathOf(target);
      const allowed = methodsOf(path);
      if (allowed === undefined) {
        return {
          status: 404,
          code: 'not_found',
          message: 'No such resource or method',
          headers: {},
        };
      }
      return {
        status: 405,
        code: 'method_not_allowed',
        message: `Method ${JSON.stringify(method)} is not allowed on ${path}; use ${allowed.join(' or ')}`,
        headers: { Allow: allowed.join(', ') },
      };
    }
    case 'HPE_INVALID_CONTENT_LENGTH':
      return badRequest(
        `Content-Length must be a number of bytes, 0 or more (received ${JSON.stringify(headerValue(raw, 'content-length') ?? '')})`,
        error,
      );
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return badRequest('Content-Length is sent more than once; send it once', error);
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return badRequest(
        headerValue(raw, 'content-length') === undefined
          ? `Transfer-Encoding must end with chunked (received ${JSON.stringify(headerValue(raw, 'transfer-encoding') ?? '')})`
          : 'Transfer-Encoding and Content-Length are both sent; send the body either with a Content-Length or chunked, not both',
        error,
      );
    case 'HPE_INVALID_VERSION':
      return {
        status: 505,
        code: 'http_version_not_supported',
        message: 'Send HTTP/1.1 (or HTTP/1.0)',
        headers: {},
      };
    default:
      return badRequest(
        `The request is not valid HTTP/1.1: ${error.reason ?? code} (Node's parser, ${code})`,
        error,
      );
  }
}

/** The headers of the answer: those every answer of the edge carries, and `Connection: close`. */
export function clientErrorHeaders(
  answer: ClientErrorAnswer,
  body: string,
): Record<string, string> {
  return {
    ...SECURITY_HEADERS,
    ...CORS_HEADERS,
    ...answer.headers,
    'Content-Type': JSON_MEDIA_TYPE,
    'Content-Length': String(Buffer.byteLength(body)),
    'x-amzn-RequestId': randomUUID(),
    Connection: 'close',
  };
}

/** The whole HTTP/1.1 response as text, for a connection that has no response object. */
export function rawHttpAnswer(answer: ClientErrorAnswer): string {
  const body = edgeErrorBody(answer);
  const headers = { Date: new Date().toUTCString(), ...clientErrorHeaders(answer, body) };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
}
