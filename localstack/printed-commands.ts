/**
 * The commands `npm start` prints for a new user to copy: each runs as printed in a POSIX shell
 * (bash, zsh), with no file to create first, and shows what it promises
 * (localstack/test/printed-commands.int.test.ts runs them).
 */

/**
 * A desktop browser's user agent. curl's own (`curl/8.x`) is a bot by the isbot list, so an
 * event sent with it counts among the bots and never in the active sessions.
 */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/**
 * POST one page view with the body inline. The ids and the timestamp come from the shell's clock
 * (`date`), so each run is a new visit stamped now — a fixed id sent again is a duplicate and
 * counts once, and a fixed timestamp ages out of the 30-minute window.
 */
export function ingestCommand(edgeUrl: string, siteId: string, ingestKey: string): string {
  const now = `'"$(date +%s)"'`;
  const body =
    `{"siteId":"${siteId}","events":[{"eventId":"evt_curl_${now}_pageview",` +
    `"sessionId":"curl_${now}","seq":0,"type":"pageview","ts":'"$(date +%s000)"',` +
    `"url":"https://${siteId}.example/from-curl"}]}`;
  return (
    `curl -X POST '${edgeUrl}/events?key=${ingestKey}' -A '${BROWSER_USER_AGENT}' ` +
    `-H 'content-type: application/json' -d '${body}'`
  );
}

/** GET the site's realtime figures with its read token. */
export function queryCommand(edgeUrl: string, siteId: string, readToken: string): string {
  return `curl '${edgeUrl}/realtime?siteId=${siteId}' -H 'authorization: Bearer ${readToken}'`;
}
