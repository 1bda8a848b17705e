/**
 * Canonical JSON of a DynamoDB item (or any JSON-like value): object keys sorted, string sets and
 * number sets sorted, so two equal items print the same text whatever order DynamoDB or the SDK
 * gave their attributes in. Rebuild compares stored and rebuilt items with it; copy-back hashes
 * it into an order-independent checksum. Written here rather than taken from a package because
 * the sets of AttributeValue (SS, NS, BS: unordered by definition) need sorting too, which the
 * generic stable-stringify packages do not do.
 */
import { createHash } from 'node:crypto';

const SET_TYPES = new Set(['SS', 'NS', 'BS']);

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, undefined));
}

function canonical(value: unknown, key: string | undefined): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, undefined));
    // DynamoDB sets have no order: sort their canonical texts.
    if (key !== undefined && SET_TYPES.has(key)) {
      return items
        .map((v) => JSON.stringify(v))
        .sort()
        .map((text) => JSON.parse(text) as unknown);
    }
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[name];
      if (v !== undefined) sorted[name] = canonical(v, name);
    }
    return sorted;
  }
  return value;
}

/** 64 bits of SHA-256 of the item's canonical JSON, as an unsigned bigint. */
export function itemHash(item: unknown): bigint {
  return createHash('sha256').update(canonicalJson(item)).digest().readBigUInt64BE(0);
}

const MOD = 1n << 64n;

/**
 * Count and order-independent checksum of a set of items: the sum of their hashes mod 2^64 (a
 * sum, not a XOR, so that an item counted twice does not cancel out).
 */
export class TableChecksum {
  count = 0;
  sum = 0n;

  add(item: unknown): void {
    this.count += 1;
    this.sum = (this.sum + itemHash(item)) % MOD;
  }

  toString(): string {
    return `${this.count} items, checksum ${this.sum.toString(16).padStart(16, '0')}`;
  }

  equals(other: TableChecksum): boolean {
    return this.count === other.count && this.sum === other.sum;
  }
}
