import { expiryCutoffSeconds, isActive, isCurrent } from './activity';

const now = 1_700_000_000_500;

describe('activity windows', () => {
  it('treats an item as active until its expiry second has passed', () => {
    expect(isActive({ expiresAt: 1_700_000_001 }, now)).toBe(true);
    expect(isActive({ expiresAt: 1_700_000_000 }, now)).toBe(false);
  });

  it('agrees with the filter a read applies (expiresAt > cutoff)', () => {
    for (const expiresAt of [1_699_999_999, 1_700_000_000, 1_700_000_001]) {
      expect(expiresAt > expiryCutoffSeconds(now)).toBe(isActive({ expiresAt }, now));
    }
  });

  it('makes a visitor current for 5 minutes after a page view or custom event', () => {
    const expiresAt = 1_700_001_000;
    expect(isCurrent({ expiresAt, lastInteractionAt: now - 299_999 }, now)).toBe(true);
    expect(isCurrent({ expiresAt, lastInteractionAt: now - 300_000 }, now)).toBe(false);
    expect(isCurrent({ expiresAt, lastInteractionAt: 0 }, now)).toBe(false);
    expect(isCurrent({ expiresAt: 1_699_999_000, lastInteractionAt: now }, now)).toBe(false);
  });
});
