/**
 * Test-only: a synchronous HTTP client, as k6's http.post is, for running the scenarios'
 * iteration code under Node. A worker thread does the fetch while this thread blocks in
 * Atomics.wait, so the iteration code runs unchanged. The server must live in another process
 * (a blocked thread cannot answer its own requests): run-iterations.ts is that other process.
 */
import { Worker } from 'node:worker_threads';
import type { Answer, Tags } from '../lib/iterations';

const ANSWER_BYTES = 4 * 1024 * 1024;

// Plain JavaScript: the worker runs it as is (eval), without the TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const signal = new Int32Array(workerData.signal);
const data = new Uint8Array(workerData.data);
parentPort.on('message', async (request) => {
  let out;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
    });
    out = { status: response.status, body: await response.text() };
  } catch (error) {
    out = { status: 0, body: String(error) };
  }
  let bytes = Buffer.from(JSON.stringify(out));
  if (bytes.length > data.length) {
    bytes = Buffer.from(JSON.stringify({ status: 0, body: 'answer of ' + bytes.length + ' bytes is larger than the ' + data.length + ' the adapter holds' }));
  }
  data.set(bytes);
  Atomics.store(signal, 1, bytes.length);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

export interface SyncHttp {
  request(method: 'GET' | 'POST', url: string, body: string | null, headers: Tags): Answer;
  close(): Promise<void>;
}

export function startSyncHttp(timeoutMs = 30_000): SyncHttp {
  const signalBuffer = new SharedArrayBuffer(8);
  const dataBuffer = new SharedArrayBuffer(ANSWER_BYTES);
  const signal = new Int32Array(signalBuffer);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { signal: signalBuffer, data: dataBuffer },
  });
  return {
    request(method, url, body, headers) {
      Atomics.store(signal, 0, 0);
      worker.postMessage({ method, url, body, headers });
      if (Atomics.wait(signal, 0, 0, timeoutMs) === 'timed-out') {
        throw new Error(`${method} ${url} got no answer within ${timeoutMs} ms`);
      }
      const length = Atomics.load(signal, 1);
      const text = Buffer.from(new Uint8Array(dataBuffer, 0, length)).toString('utf8');
      return JSON.parse(text) as Answer;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
