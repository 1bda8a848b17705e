/**
 * The options of the `<script data-*>` tag: its dataset, a present attribute being `true`
 * (data-allow-automation → allowAutomation, data-not-found → notFound). data-api (no trailing slash) defaults to
 * the script's own origin (the local edge serves li.js and the ingest API together).
 */
import { d, type TrackerOptions } from './core';

export function scriptOptions(): TrackerOptions {
  // A classic script runs synchronously, so currentScript is this tag.
  const s = d.currentScript as HTMLScriptElement;
  const o: Record<string, unknown> = {};
  for (const k in s.dataset) o[k] = s.dataset[k] || true;
  o['api'] ||= new URL(s.src).origin;
  return o as unknown as TrackerOptions;
}
