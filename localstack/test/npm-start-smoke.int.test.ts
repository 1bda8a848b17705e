/**
 * `npm start` as a new user runs it: the whole product comes up with demo traffic, serves the
 * ingest API, the query API and the dashboard, writes demo.json, shows events it was sent, and
 * stops clean on Ctrl-C with no process left behind.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { parseWith } from '../../schemas';
import { runStartCli } from '../testing/cli-process';
import { descendantsOf, waitUntilGone } from '../testing/processes';
import { describeWithEmulators } from '../testing/use-test-stack';
import { waitFor } from '../testing/wait-for';

const DemoJsonSchema = Type.Object({
  siteId: Type.String(),
  ingestKey: Type.String(),
  readToken: Type.String(),
  edgeUrl: Type.String(),
  awsEndpoint: Type.String(),
});

/** Each probe is a request to the running product: every 250 ms, for up to 30 s. */
const POLL = { timeoutMs: 30_000, intervalMs: 250 };

describeWithEmulators()('npm start', () => {
  it('runs the product with demo traffic, serves every API and stops clean', async () => {
    // Arrange: start it as `npm start` does, on free ports and a state folder of its own.
    const cli = runStartCli({ LIVEINSIGHT_AWS_PORT: '0', LIVEINSIGHT_DEMO: 'on' });
    const stateDir = cli.stateDir;
    try {
      await cli.waitFor(/Ctrl-C stops everything/, 90_000);
      const parsed = parseWith(
        DemoJsonSchema,
        JSON.parse(readFileSync(join(stateDir, 'demo.json'), 'utf8')),
      );
      if (!parsed.ok) throw new Error(`demo.json is malformed: ${JSON.stringify(parsed.issues)}`);
      const demo = parsed.value;
      expect(cli.output()).toContain(`/dashboard/?siteId=${demo.siteId}`);
      const children = descendantsOf(cli.child.pid ?? -1);

      // Act: one event of our own through the edge, then read it back through the query API.
      const sessionId = `smoke_${Date.now()}`;
      const ingest = await fetch(`${demo.edgeUrl}/events?key=${demo.ingestKey}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({
          siteId: demo.siteId,
          events: [
            {
              eventId: `${sessionId}_0_pageview`,
              sessionId,
              seq: 0,
              type: 'pageview',
              ts: Date.now(),
              url: 'https://shop.example.com/smoke',
            },
          ],
        }),
      });
      const auth = { authorization: `Bearer ${demo.readToken}` };
      const ours = await waitFor(
        async () => {
          let cursor: string | undefined;
          do {
            const page = await fetch(
              `${demo.edgeUrl}/sessions/active?siteId=${demo.siteId}&limit=200${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
              { headers: auth },
            );
            const body = (await page.json()) as {
              sessions: { sessionId: string; currentPage: string }[];
              nextCursor?: string;
            };
            const found = body.sessions.find((s) => s.sessionId === sessionId);
            if (found !== undefined) return found;
            cursor = body.nextCursor;
          } while (cursor !== undefined);
          return undefined;
        },
        'our session in /sessions/active',
        POLL,
      );
      // /realtime reads the rollup's counters, which follow ActiveSessions through its stream: on
      // a busy machine they can lag the direct read above, so wait for the demo visitors and ours.
      const figures = await waitFor(
        async () => {
          const realtime = await fetch(`${demo.edgeUrl}/realtime?siteId=${demo.siteId}`, {
            headers: auth,
          });
          if (realtime.status !== 200) throw new Error(`GET /realtime answered ${realtime.status}`);
          const body = (await realtime.json()) as { activeSessions: number };
          return body.activeSessions > 1 ? body : undefined;
        },
        '/realtime counting ours and demo visitors',
        POLL,
      );
      const dashboard = await fetch(`${demo.edgeUrl}/dashboard/`);
      const health = await fetch(`${demo.edgeUrl}/health`);
      await cli.waitFor(/live {2}accepted [0-9.]+\/s \(demo\) {2}stored/, 30_000);

      // Assert
      expect(ingest.status).toBe(200);
      expect(await ingest.json()).toEqual({ accepted: 1 });
      expect(ours.currentPage).toBe('/smoke');
      expect(figures.activeSessions).toBeGreaterThan(1); // ours and the demo visitors'
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('content-type')).toContain('text/html');
      expect(health.status).toBe(200);
      // The banner is not split by the AWS SDK's nine-line Node warning: one line says it.
      expect(cli.output()).not.toContain('NodeVersionSupportWarning');
      if (Number(process.versions.node.split('.')[0]) < 22) {
        expect(
          cli.output().match(/^Node v\d+\.\d+\.\d+: AWS SDK releases after .* need Node >= 22;/gm),
        ).toHaveLength(1);
      }
      // Bad rows say where they come from: the demo's deliberately bad events.
      expect(cli.output()).toMatch(/ bad rows \d+ \(the demo sent \d+ bad on purpose\) /);

      // Act: Ctrl-C
      cli.child.kill('SIGINT');
      const exit = await cli.exited;

      // Assert: a clean exit, every process it started gone.
      expect(exit.code).toBe(0);
      expect(await waitUntilGone(children, 15_000)).toEqual([]);
    } finally {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited; // and its scratch folder removed
    }
  }, 150_000);
});
