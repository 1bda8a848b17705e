/** The names the tracker sends by itself; equal to schemas/tracker-events.ts (tracker/test/tracker-events.test.ts). */
export const EVENT_NAMES = {
  outbound: 'Outbound Link: Click',
  download: 'File Download',
  notFound: '404',
} as const;
