/**
 * Where a batch's EMF documents go, written once per batch. On Lambda: standard output, one
 * document per line, which Lambda ships to CloudWatch Logs where EMF becomes metrics. Locally:
 * a JSON-lines file that the local metrics sink tails (localstack/metrics-sink).
 */
import { appendFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface MetricsWriter {
  /** Human-readable target, for errors. */
  readonly target: string;
  write(documents: readonly string[]): Promise<void>;
}

export class MetricsWriteError extends Error {
  override readonly name = 'MetricsWriteError';
  constructor(target: string, documents: number, options: { cause: unknown }) {
    super(`Writing ${documents} EMF document(s) to ${target} failed`, options);
  }
}

/** Lambda: stdout bypasses the runtime's console prefix, so every line is a bare JSON document. */
export function streamMetricsWriter(stream: Writable, target = 'stdout'): MetricsWriter {
  return {
    target,
    write(documents) {
      if (documents.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        stream.write(`${documents.join('\n')}\n`, (error) => {
          if (error) reject(new MetricsWriteError(target, documents.length, { cause: error }));
          else resolve();
        });
      });
    },
  };
}

/** Local: appends to a JSON-lines file with one write per batch (O_APPEND keeps lines whole). */
export function fileMetricsWriter(path: string): MetricsWriter {
  return {
    target: path,
    async write(documents) {
      if (documents.length === 0) return;
      try {
        await appendFile(path, `${documents.join('\n')}\n`, 'utf8');
      } catch (cause) {
        throw new MetricsWriteError(path, documents.length, { cause });
      }
    },
  };
}
