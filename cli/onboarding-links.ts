/**
 * What `sites add` and `read-tokens issue` print for a site owner: the tracker's script tag and
 * the dashboard link with a read token, built from where the target says its pages are — the
 * local stack's demo.json, a stage's stack outputs — never from an assumed host or port.
 */
import { scriptTagWithQueue } from '../pipeline/script-tag';
import type { Target } from './target';

/** The tracker build a target serves: its URL and SRI hash. */
export interface TrackerScript {
  readonly scriptUrl: string;
  readonly integrity: string | undefined;
}

/** The tracker as the target serves it, or a sentence saying why it is not known. */
export function trackerScriptOf(target: Target): TrackerScript | string {
  const tracker = target.links?.tracker;
  if (tracker !== undefined) return tracker;
  return target.stage === undefined
    ? 'the local stack did not say where it serves the tracker (expected trackerScriptUrl in npm start’s demo.json; restart `npm start`)'
    : `stack ${target.stage.name} has no output TrackerScriptUrl (expected a stage deployed from this version)`;
}

export function scriptTagLines(
  target: Target,
  site: { readonly siteId: string; readonly ingestKey: string },
): string[] {
  const tracker = trackerScriptOf(target);
  const apiUrl = target.links?.apiUrl;
  if (typeof tracker === 'string' || apiUrl === undefined) {
    const why = typeof tracker === 'string' ? tracker : 'the target has no ingest API URL';
    return [`script tag: not available — ${why}`];
  }
  return [
    'script tag (paste into every page, before </head>):',
    scriptTagWithQueue({
      scriptUrl: tracker.scriptUrl,
      siteId: site.siteId,
      ingestKey: site.ingestKey,
      apiUrl,
      ...(tracker.integrity === undefined ? {} : { integrity: tracker.integrity }),
      // A site tried on the local stack runs on localhost, which the tracker skips unless told.
      ...(target.stage === undefined ? { flags: ['local'] } : {}),
    }),
  ];
}

/** The dashboard link: the site in the query, the token in the fragment (never sent to a server). */
export function dashboardLine(target: Target, siteId: string, readToken: string): string {
  const page = target.links?.dashboardUrl;
  const link = `?siteId=${encodeURIComponent(siteId)}#token=${encodeURIComponent(readToken)}`;
  return page === undefined
    ? `dashboard: <the dashboard's URL>${link} (the target did not say where its dashboard is)`
    : `dashboard: ${page}${link}`;
}
