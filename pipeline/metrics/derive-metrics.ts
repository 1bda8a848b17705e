/**
 * Business metrics of one stream change, from its old and new images only — never from the
 * clock or from re-reading a table — so a redelivered record yields exactly the same points.
 *
 * Which stream drives which metric (each metric has exactly one source, so nothing is counted
 * twice across the two streams):
 * - Sessions (one item per session, the full folded state): every activity metric, as the
 *   difference between the new and the old image. INSERT counts from zero and starts a session.
 *   REMOVE changes nothing: it is the 90-day retention or a deletion, not activity.
 * - ActiveSessions: only a TTL REMOVE, the moment a session's 30-minute window closed for good.
 *   That is when the session's bounce, duration and expiry are final, so they are counted then
 *   (counting a bounce when the state first matches the definition would have to be taken back
 *   when the visitor engages later). A delete by any other principal is not an expiry.
 */
import { match } from 'ts-pattern';
import type { ActiveSessionItem, SessionItem } from '../../schemas';
import { isBounce } from '../bounce';
import {
  activeRange,
  epochMinute,
  minutesWithin,
  newCurrentMinutes,
  rangeDifference,
  type MinuteRange,
} from './activity-minutes';
import { changeProblems } from './change-consistency';
import type { SiteMetricName } from '../../schemas/business-metrics';
import type { StreamChange } from './stream-change';
import { acceptedMinutes, clampMinute } from './timestamp-window';

/** One contribution to a metric of one site in one minute. */
export interface MetricPoint {
  readonly siteId: string;
  /** Epoch minute the value belongs to. */
  readonly minute: number;
  readonly name: SiteMetricName;
  readonly value: number;
}

export type Derivation =
  | { readonly ok: true; readonly points: readonly MetricPoint[] }
  | { readonly ok: false; readonly problems: readonly string[] };

export function deriveMetrics(change: StreamChange): Derivation {
  const problems = changeProblems(change);
  if (problems.length > 0) return { ok: false, problems };
  const window = acceptedMinutes(change.recordTimeMs);
  const points = match(change)
    .with({ table: 'sessions', eventName: 'INSERT' }, (c) =>
      sessionGrowth(undefined, c.newImage, window),
    )
    .with({ table: 'sessions', eventName: 'MODIFY' }, (c) =>
      sessionGrowth(c.oldImage, c.newImage, window),
    )
    .with({ table: 'sessions', eventName: 'REMOVE' }, () => [])
    .with({ table: 'activeSessions', eventName: 'INSERT' }, () => [])
    .with({ table: 'activeSessions', eventName: 'MODIFY' }, () => [])
    .with({ table: 'activeSessions', eventName: 'REMOVE', removedBy: 'ttl' }, (c) =>
      expiry(c.oldImage, window),
    )
    .with({ table: 'activeSessions', eventName: 'REMOVE', removedBy: 'principal' }, () => [])
    .exhaustive();
  return { ok: true, points: points.filter((point) => point.value !== 0) };
}

/** What the session gained between two images (`before` undefined: a new session). */
function sessionGrowth(
  before: SessionItem | undefined,
  after: SessionItem,
  window: MinuteRange,
): MetricPoint[] {
  const siteId = after.siteId;
  const at = clampMinute(epochMinute(after.lastSeen), window);
  const grown = (
    counter: 'pageviews' | 'events' | 'engagementEvents' | 'customEvents' | 'engagedMs',
  ) => after[counter] - (before?.[counter] ?? 0);
  const point = (name: SiteMetricName, value: number, minute = at): MetricPoint => ({
    siteId,
    minute,
    name,
    value,
  });
  const activeMinutes = minutesWithin(
    rangeDifference(activeRange(after), before === undefined ? undefined : activeRange(before)),
    window,
  );

  if (after.isBot) {
    return [
      point('BotEvents', grown('events')),
      ...activeMinutes.map((minute) => point('BotActiveSessionMinutes', 1, minute)),
    ];
  }
  const currentMinutes = newCurrentMinutes(after, before).filter(
    (minute) => minute >= window.from && minute <= window.to,
  );
  return [
    ...(before === undefined
      ? [point('SessionsStarted', 1, clampMinute(epochMinute(after.startedAt), window))]
      : []),
    point('PageViews', grown('pageviews')),
    point('Events', grown('events')),
    point('EngagementEvents', grown('engagementEvents')),
    point('CustomEvents', grown('customEvents')),
    point('EngagedTime', grown('engagedMs')),
    ...activeMinutes.map((minute) => point('ActiveSessionMinutes', 1, minute)),
    ...currentMinutes.map((minute) => point('CurrentVisitorMinutes', 1, minute)),
  ];
}

/** A session's 30-minute window closed (TTL): its final bounce, duration and expiry. */
function expiry(item: ActiveSessionItem, window: MinuteRange): MetricPoint[] {
  // Bots are kept out of human figures (as /realtime does), bounce rate included.
  if (item.isBot) return [];
  // The minute the window closed, not the minute TTL got round to deleting (up to days later).
  const minute = clampMinute(epochMinute(item.expiresAt * 1000), window);
  const point = (name: SiteMetricName, value: number): MetricPoint => ({
    siteId: item.siteId,
    minute,
    name,
    value,
  });
  return [
    point('SessionsExpired', 1),
    point('Bounces', isBounce(item) ? 1 : 0),
    point('SessionDuration', item.lastSeen - item.startedAt),
  ];
}
