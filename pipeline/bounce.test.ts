import { isBounce } from './bounce';

describe('bounce (DESIGN.md section 3)', () => {
  it.each([
    [{ pageviews: 1, customEvents: 0, engagedMs: 0 }, true],
    [{ pageviews: 1, customEvents: 0, engagedMs: 9_999 }, true],
    [{ pageviews: 1, customEvents: 0, engagedMs: 10_000 }, false],
    [{ pageviews: 1, customEvents: 1, engagedMs: 0 }, false],
    [{ pageviews: 2, customEvents: 0, engagedMs: 0 }, false],
    [{ pageviews: 0, customEvents: 0, engagedMs: 0 }, false],
  ])('%o → %s', (session, expected) => {
    expect(isBounce(session)).toBe(expected);
  });
});
