/**
 * Custom event names the browser tracker sends by itself (issue 14, CONTRACT.md): the dashboard
 * shows them, the tracker sends them. The tracker (browser code, which imports schemas' types
 * only) keeps a copy in tracker/src/event-names.ts; tracker/test/contract-copies.test.ts holds the
 * two equal.
 */
export const TRACKER_EVENT_NAMES = {
  /** props `{url}`: a click or middle-click on a link to another host. */
  outbound: 'Outbound Link: Click',
  /** props `{url}`: a click on a link to a file (by extension or `download` attribute). */
  download: 'File Download',
  /** props `{path}`: sent on a page whose script tag has `data-404`. */
  notFound: '404',
} as const;

export type TrackerEventName = (typeof TRACKER_EVENT_NAMES)[keyof typeof TRACKER_EVENT_NAMES];
