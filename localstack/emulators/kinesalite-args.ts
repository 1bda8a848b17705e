/**
 * The command line of kinesalite-main.ts: kinesalite's own numeric options and its `--path`
 * (LevelDB on disk instead of in memory), checked, so that a typo fails at start naming the
 * option and what it expects instead of kinesalite's defaults silently applying.
 */
import { parseArgs } from 'node:util';

const NUMERIC_OPTIONS = [
  'port',
  'createStreamMs',
  'deleteStreamMs',
  'updateStreamMs',
  'shardLimit',
] as const;

export interface KinesaliteArgs {
  readonly port: number;
  readonly createStreamMs?: number;
  readonly deleteStreamMs?: number;
  readonly updateStreamMs?: number;
  readonly shardLimit?: number;
  /** Folder of kinesalite's LevelDB: streams and records survive a restart. In memory if unset. */
  readonly path?: string;
}

/** Throws an Error saying what was wrong and what is expected. */
export function parseKinesaliteArgs(args: readonly string[]): KinesaliteArgs {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        [...NUMERIC_OPTIONS, 'path'].map((name) => [name, { type: 'string' }]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new Error(
      `${(cause as Error).message}; expected --port <port> and optionally ${NUMERIC_OPTIONS.slice(1)
        .map((name) => `--${name} <n>`)
        .join(', ')}, --path <folder>`,
      { cause },
    );
  }
  const parsed: Record<string, number | string> = {};
  for (const name of NUMERIC_OPTIONS) {
    const text = values[name];
    if (text === undefined) continue;
    const value = Number(text);
    if (typeof text !== 'string' || text.trim() === '' || !Number.isInteger(value) || value < 0) {
      throw new Error(`--${name} must be a non-negative integer, received ${JSON.stringify(text)}`);
    }
    parsed[name] = value;
  }
  if (parsed['port'] === undefined) throw new Error('--port <port> is required');
  const path = values['path'];
  if (path !== undefined) {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new Error(`--path must name a folder, received ${JSON.stringify(path)}`);
    }
    parsed['path'] = path;
  }
  return parsed as unknown as KinesaliteArgs;
}
