/**
 * Bot check by network: is a source IP in the published ranges of a cloud, hosting company,
 * crawler, uptime checker or link-preview fetcher (data/cloud-ranges.json, written by
 * data/update-cloud-ranges.ts)? People do not browse from AWS, Azure or DigitalOcean; uptime
 * checkers, preview scanners and headless fleets with a browser-like user agent do.
 *
 * The repository ships that file with no providers (a copy of the lists is not ours to
 * redistribute from here): until the update script has run where the stage is built, no IP is in
 * any network and the check adds nothing.
 *
 * The ranges are built once per process into sorted, non-overlapping intervals in typed arrays
 * and looked up by binary search: IPv4 as 32-bit numbers, IPv6 by its first 64 bits (every
 * published cloud prefix is /64 or shorter; a longer one counts as its /64). Only the provider's
 * name leaves this module: the IP is neither kept nor logged.
 */
import ranges from './data/cloud-ranges.json';

export interface NetworkRanges {
  /** Provider name → CIDRs. */
  readonly [provider: string]: { readonly v4: readonly string[]; readonly v6: readonly string[] };
}

export interface NetworkLookup {
  /** The provider whose published range holds `ip`, or undefined (also for a malformed IP). */
  providerOf(ip: string): string | undefined;
}

export function createNetworkLookup(byProvider: NetworkRanges): NetworkLookup {
  const names = Object.keys(byProvider);
  const v4: [number, number, number][] = [];
  const v6: [bigint, bigint, number][] = [];
  names.forEach((name, index) => {
    const lists = byProvider[name];
    if (lists === undefined) return;
    for (const cidr of lists.v4) {
      const [start, end] = v4Range(cidr);
      v4.push([start, end, index]);
    }
    for (const cidr of lists.v6) {
      const [start, end] = v6Range(cidr);
      v6.push([start, end, index]);
    }
  });
  const table4 = intervals(v4, (a, b) => a - b);
  const table6 = intervals(v6, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const starts4 = Uint32Array.from(table4, ([s]) => s);
  const ends4 = Uint32Array.from(table4, ([, e]) => e);
  const owners4 = Uint16Array.from(table4, ([, , p]) => p);
  const starts6 = BigUint64Array.from(table6, ([s]) => s);
  const ends6 = BigUint64Array.from(table6, ([, e]) => e);
  const owners6 = Uint16Array.from(table6, ([, , p]) => p);

  return {
    providerOf(ip: string): string | undefined {
      const mapped = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
      if (mapped.includes(':')) {
        const head = v6Head(mapped);
        if (head === undefined) return undefined;
        const at = lastAtOrBefore(starts6, head);
        return at >= 0 && head <= (ends6[at] as bigint) ? names[owners6[at] as number] : undefined;
      }
      const value = v4Value(mapped);
      if (value === undefined) return undefined;
      const at = lastAtOrBefore(starts4, value);
      return at >= 0 && value <= (ends4[at] as number) ? names[owners4[at] as number] : undefined;
    },
  };
}

/** Sorted, overlapping intervals merged (an enclosing range keeps its provider). */
function intervals<T extends number | bigint>(
  list: [T, T, number][],
  compare: (a: T, b: T) => number,
): [T, T, number][] {
  list.sort((a, b) => compare(a[0], b[0]) || compare(b[1], a[1]));
  const merged: [T, T, number][] = [];
  for (const interval of list) {
    const last = merged[merged.length - 1];
    if (last !== undefined && compare(interval[0], last[1]) <= 0) {
      if (compare(interval[1], last[1]) > 0) last[1] = interval[1];
    } else merged.push([interval[0], interval[1], interval[2]]);
  }
  return merged;
}

/** Index of the last start ≤ value, or -1. */
function lastAtOrBefore<T extends number | bigint>(
  starts: { readonly length: number; [index: number]: T },
  value: T,
): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as T) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Dotted quad → 32-bit number, by character codes (this runs once per new session). */
function v4Value(ip: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i += 1) {
    const code = ip.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      digits += 1;
      if (digits > 3 || octet > 255) return undefined;
    } else if (code === 46 && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

/** The first 64 bits of an IPv6 address, or undefined when it is not one. */
function v6Head(ip: string): bigint | undefined {
  const zone = ip.indexOf('%');
  const address = zone === -1 ? ip : ip.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? (halves[1] as string).split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups of the low half.
  const last = tail.length > 0 ? tail[tail.length - 1] : head[head.length - 1];
  const v4Tail = last !== undefined && last.includes('.') ? 1 : 0;
  const groups = head.length + tail.length + v4Tail;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return undefined;
  const all = [...head, ...Array<string>(8 - groups).fill('0'), ...tail];
  let value = 0n;
  for (let i = 0; i < 4; i += 1) {
    const group = all[i] as string;
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

function v4Range(cidr: string): [number, number] {
  const [address = '', bits = ''] = cidr.split('/');
  const value = v4Value(address);
  const length = Number(bits);
  if (value === undefined || !Number.isInteger(length) || length < 0 || length > 32)
    throw new Error(`cloud ranges: expected an IPv4 CIDR, received ${cidr}`);
  const size = 2 ** (32 - length);
  const start = value - (value % size);
  return [start, start + size - 1];
}

function v6Range(cidr: string): [bigint, bigint] {
  const [address = '', bits = ''] = cidr.split('/');
  const head = v6Head(address);
  const length = Math.min(Number(bits), 64);
  if (head === undefined || !Number.isInteger(length) || length < 0)
    throw new Error(`cloud ranges: expected an IPv6 CIDR, received ${cidr}`);
  const hostBits = BigInt(64 - length);
  const start = (head >> hostBits) << hostBits;
  return [start, start | ((1n << hostBits) - 1n)];
}

let shipped: NetworkLookup | undefined;

/** The lookup over data/cloud-ranges.json as last written, built on first use (once per process). */
export function cloudNetworkOf(ip: string): string | undefined {
  shipped ??= createNetworkLookup(ranges.providers);
  return shipped.providerOf(ip);
}
