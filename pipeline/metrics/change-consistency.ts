/**
 * What a change must satisfy for its metrics to mean anything. The consumer's session fold only
 * grows a session (counters, last activity) and only moves its start earlier; a change that
 * shrinks one would make the derivation emit negative counts, so it is reported instead (the
 * handler turns it into a bad row and the MalformedStreamRecords metric), never guessed at.
 */
import { match } from 'ts-pattern';
import { SiteIdSchema, type ActiveSessionItem, type SessionItem } from '../../schemas';
import type { StreamChange } from './stream-change';

/** Counters of a session that never decrease. */
export const MONOTONIC_COUNTERS = [
  'pageviews',
  'events',
  'engagementEvents',
  'customEvents',
  'botEvents',
  'engagedMs',
] as const satisfies readonly (keyof SessionItem)[];

/** Problems of a change, in words (what was received, what was expected); empty when consistent. */
export function changeProblems(change: StreamChange): string[] {
  return match(change)
    .with({ table: 'sessions', eventName: 'INSERT' }, (c) => spanProblems('NewImage', c.newImage))
    .with({ table: 'sessions', eventName: 'MODIFY' }, (c) => [
      ...spanProblems('NewImage', c.newImage),
      ...sessionGrowthProblems(c.oldImage, c.newImage),
    ])
    .with({ table: 'sessions', eventName: 'REMOVE' }, () => [])
    .with({ table: 'activeSessions', eventName: 'INSERT' }, () => [])
    .with({ table: 'activeSessions', eventName: 'MODIFY' }, () => [])
    .with({ table: 'activeSessions', eventName: 'REMOVE' }, (c) =>
      spanProblems('OldImage', c.oldImage),
    )
    .exhaustive();
}

/** The site id becomes a CloudWatch dimension value: it must be one the ingest contract allows. */
const SITE_ID = new RegExp(SiteIdSchema.pattern ?? '^$');

function spanProblems(image: string, item: SessionItem | ActiveSessionItem): string[] {
  const problems: string[] = [];
  if (!SITE_ID.test(item.siteId)) {
    problems.push(
      `${image}.siteId is ${JSON.stringify(item.siteId.slice(0, 80))} (expected ${SiteIdSchema.description ?? 'a site id'})`,
    );
  }
  if (item.lastSeen < item.startedAt) {
    problems.push(
      `${image}.lastSeen is ${item.lastSeen}, before startedAt ${item.startedAt} (expected lastSeen ≥ startedAt)`,
    );
  }
  return problems;
}

function sessionGrowthProblems(before: SessionItem, after: SessionItem): string[] {
  const problems: string[] = [];
  if (before.pk !== after.pk) {
    problems.push(
      `NewImage.pk is ${JSON.stringify(after.pk)} but OldImage.pk is ${JSON.stringify(before.pk)} (expected one item)`,
    );
  }
  for (const counter of MONOTONIC_COUNTERS) {
    if (after[counter] < before[counter]) {
      problems.push(
        `${counter} went from ${before[counter]} to ${after[counter]} (expected it never to decrease)`,
      );
    }
  }
  if (after.startedAt > before.startedAt) {
    problems.push(
      `startedAt went from ${before.startedAt} to ${after.startedAt} (expected it never to move later)`,
    );
  }
  if (after.lastSeen < before.lastSeen) {
    problems.push(
      `lastSeen went from ${before.lastSeen} to ${after.lastSeen} (expected it never to move earlier)`,
    );
  }
  if (after.lastInteractionAt < before.lastInteractionAt) {
    problems.push(
      `lastInteractionAt went from ${before.lastInteractionAt} to ${after.lastInteractionAt} (expected it never to move earlier)`,
    );
  }
  return problems;
}
