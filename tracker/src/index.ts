/**
 * The ESM build for bundlers:
 *
 *   import { init } from 'liveinsight-tracker';
 *   const li = init({ site: 'my-site', key: 'li_my-site_…', api: 'https://…/prod' });
 *   li('signup', { props: { plan: 'pro' } });
 *
 * Same behaviour as li.js; it also sets `window.li` (its one global), so calls queued by the
 * inline snippet are replayed and a second tracker on the page does nothing.
 */
import { start, type Li, type TrackerOptions } from './core';
import { extras } from './extras';

export type { Li, TrackerOptions };

/** Starts the tracker; undefined when one already runs on this page. */
export function init(options: TrackerOptions): Li | undefined {
  return start(options, extras);
}
