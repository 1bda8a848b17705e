/**
 * Bounce (DESIGN.md section 3): a session with exactly one page view, no interactive custom
 * event (every custom event counts as interaction) and under 10 s of engaged time. Takes only
 * the three counters, so both a Sessions state and an ActiveSessions item qualify.
 */
import { WINDOWS, type SessionState } from '../schemas';

export type BounceInputs = Pick<SessionState, 'pageviews' | 'customEvents' | 'engagedMs'>;

export function isBounce(session: BounceInputs): boolean {
  return (
    session.pageviews === 1 &&
    session.customEvents === 0 &&
    session.engagedMs < WINDOWS.bounceEngagedMs
  );
}
