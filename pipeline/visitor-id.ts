/**
 * Cookieless visitor id (the Plausible/Umami scheme): HMAC-SHA256 keyed with a secret daily salt
 * over (site, IP, user agent), truncated to 128 bits. The same visitor gets the same id all day
 * on one site; ids cannot be linked across days or sites, nor reversed to an IP without the
 * salt. The raw IP and user agent go no further than this function.
 */
import { createHmac } from 'node:crypto';

export function visitorHash(salt: string, siteId: string, ip: string, userAgent: string): string {
  // Length prefixes make the encoding unambiguous: ("a:b", "c") and ("a", "b:c") differ.
  return createHmac('sha256', salt)
    .update(`${siteId.length}:${siteId}${ip.length}:${ip}${userAgent}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}
