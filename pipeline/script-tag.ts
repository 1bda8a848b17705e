/**
 * The tracker's script tag as a site owner pastes it (README "Add the tracker to your site"),
 * and the build manifest that names the file's version and SRI hash. Pure formatting, here so
 * that the admin CLI (`sites add`), `npm start` and the stack outputs print the same tag
 * (cli/ may not import tracker/, DESIGN.md section 2).
 */
import { PipelineArgumentError } from './errors';

/** tracker/dist/manifest.json, written by tracker/build/build-tracker.ts. */
export interface TrackerManifest {
  /** File name of the default build, e.g. `li.js`. */
  readonly file: string;
  /** Content version (first 12 hex of its SHA-256): the versioned path on CloudFront. */
  readonly version: string;
  /** Subresource Integrity of the file, `sha384-<base64>`. */
  readonly integrity: string;
}

export interface ScriptTagInput {
  /** Where li.js is served, e.g. `http://localhost:3000/li.js` or the versioned CloudFront URL. */
  readonly scriptUrl: string;
  readonly siteId: string;
  readonly ingestKey: string;
  /** Base URL of the ingest API (`POST <apiUrl>/events?key=`). */
  readonly apiUrl: string;
  /** The build's SRI hash; with it the tag carries `integrity` and `crossorigin="anonymous"`. */
  readonly integrity?: string;
  /** More boolean options as data-* names, e.g. `['local', 'hash']` (tracker/README.md). */
  readonly flags?: readonly string[];
}

/** The inline snippet that keeps `li(...)` calls made before the script has loaded. */
export const QUEUE_SNIPPET =
  '<script>window.li=window.li||function(){(window.li.q=window.li.q||[]).push(arguments)}</script>';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** `<script defer src=… data-site=… data-key=… data-api=…></script>`, attribute values escaped. */
export function scriptTag(input: ScriptTagInput): string {
  const attributes: [string, string | undefined][] = [
    ['src', input.scriptUrl],
    ['integrity', input.integrity],
    ['crossorigin', input.integrity === undefined ? undefined : 'anonymous'],
    ['data-site', input.siteId],
    ['data-key', input.ingestKey],
    ['data-api', input.apiUrl.replace(/\/$/, '')],
  ];
  const text = attributes
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${escapeAttribute(value)}"`);
  const flags = (input.flags ?? []).map((flag) => `data-${flag}`);
  return `<script defer ${[...text, ...flags].join(' ')}></script>`;
}

/** The tag and the queue snippet, as printed for a site owner. */
export function scriptTagWithQueue(input: ScriptTagInput): string {
  return `${QUEUE_SNIPPET}\n${scriptTag(input)}`;
}

/** Parses tracker/dist/manifest.json's text, naming what is wrong with it. */
export function parseTrackerManifest(text: string, source: string): TrackerManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PipelineArgumentError(
      source,
      text.slice(0, 80),
      'the JSON of a tracker build manifest',
      {
        cause,
      },
    );
  }
  const record = value as Record<string, unknown>;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    typeof record['file'] === 'string' &&
    typeof record['version'] === 'string' &&
    /^sha384-[A-Za-z0-9+/]+=*$/.test(String(record['integrity']));
  if (!ok) {
    throw new PipelineArgumentError(
      source,
      JSON.stringify(value).slice(0, 200),
      '{file, version, integrity: "sha384-…"}',
    );
  }
  return {
    file: String(record['file']),
    version: String(record['version']),
    integrity: String(record['integrity']),
  };
}
