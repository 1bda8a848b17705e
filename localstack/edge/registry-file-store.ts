/**
 * The site registry's file (`.liveinsight/sites.json`, git-ignored). Writes go to a temporary
 * file renamed into place, so a reader never sees half a file; the edge notices the CLI's
 * changes by the file's modification time and size.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type RegistryData,
  type RegistryStore,
  SiteRegistryError,
  parseRegistryData,
} from './site-registry';

export const DEFAULT_SITES_FILE = '.liveinsight/sites.json';

function fingerprint(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SiteRegistryError(`Cannot read the site registry ${path}`, { cause: error });
  }
}

export function fileRegistryStore(path: string): RegistryStore {
  let seen: string | undefined;
  return {
    location: path,
    load() {
      seen = fingerprint(path);
      if (seen === undefined) return undefined;
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      } catch (cause) {
        throw new SiteRegistryError(`Site registry ${path} is not readable JSON`, { cause });
      }
      return parseRegistryData(raw, path);
    },
    save(data: RegistryData) {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, path);
      seen = fingerprint(path);
    },
    changedSinceLoad: () => fingerprint(path) !== seen,
  };
}
