/**
 * The visitor-id salt of a day: HMAC-SHA256(secret, day). Every Lambda and every redelivery
 * derives the same salt for the same day without storing one, and nobody without the secret can
 * recompute it, so visitor ids of different days cannot be linked.
 */
import { createHmac } from 'node:crypto';
import type { SaltProvider } from '../../pipeline/ports';

export function dailySalt(secret: string): SaltProvider {
  if (secret.length < 16) {
    throw new RangeError(
      `visitor salt secret has ${secret.length} characters (expected at least 16)`,
    );
  }
  const byDay = new Map<string, string>();
  return {
    saltForDay(day) {
      let salt = byDay.get(day);
      if (salt === undefined) {
        salt = createHmac('sha256', secret).update(`visitor-salt:${day}`).digest('base64url');
        // A process lives for hours, not years: a handful of days at most.
        if (byDay.size > 8) byDay.clear();
        byDay.set(day, salt);
      }
      return salt;
    },
  };
}
