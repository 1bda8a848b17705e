/** The names the tracker sends by itself; equal to schemas/tracker-events.ts (tracker/test/contract-copies.test.ts). */
export const EVENT_NAMES = {
  outbound: 'Outbound Link: Click',
  download: 'File Download',
  notFound: '404',
} as const;
