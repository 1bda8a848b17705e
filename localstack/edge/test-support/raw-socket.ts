/**
 * Sends bytes over a plain TCP connection and reads every HTTP/1.1 response until the server
 * closes it: fetch and node:http refuse to send malformed requests, so HTTP-level refusals are
 * tested this way.
 */
import { connect } from 'node:net';

export interface SocketAnswer {
  readonly status: number;
  /** Lowercased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SocketExchange {
  readonly answers: readonly SocketAnswer[];
  /** The error the connection ended with (e.g. ECONNRESET), if any. */
  readonly error: string | undefined;
}

/** The responses in `text` (latin1, so one character per byte), chunked or with a length. */
function parseAnswers(text: string): SocketAnswer[] {
  const answers: SocketAnswer[] = [];
  let at = 0;
  while (text.startsWith('HTTP/1.1 ', at)) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const [statusLine = '', ...lines] = text.slice(at, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    at = end + 4;
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const sizeEnd = text.indexOf('\r\n', at);
        const size = parseInt(text.slice(at, sizeEnd), 16);
        at = sizeEnd + 2;
        if (!(size > 0)) {
          at += 2;
          break;
        }
        body += text.slice(at, at + size);
        at += size + 2;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      body = text.slice(at, at + length);
      at += length;
    }
    const status = Number(statusLine.split(' ')[1]);
    answers.push({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
  }
  return answers;
}

/** Writes `chunks` in order and collects what comes back until the server closes the connection. */
export function exchangeRaw(
  url: string,
  chunks: readonly (string | Buffer)[],
): Promise<SocketExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('error', (cause: NodeJS.ErrnoException) => {
      error = cause.code ?? cause.message;
    });
    socket.on('close', () =>
      resolve({ answers: parseAnswers(Buffer.concat(received).toString('latin1')), error }),
    );
    // No end(): the server must close the connection itself after a refusal.
    for (const chunk of chunks) socket.write(chunk);
  });
}
