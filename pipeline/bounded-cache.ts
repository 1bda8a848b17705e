/**
 * A bounded memo cache with approximate LRU eviction in O(1): two generations of Maps. Reads hit
 * `young` first; a hit in `old` is promoted. When `young` is full it becomes `old` and the
 * previous `old` is dropped whole, so anything not read during a full generation is evicted.
 * A hit in `young` costs one Map lookup, which is what the hot path needs (user agents, URLs and
 * visitor hashes repeat heavily within a batch and across batches of a warm Lambda).
 */
import { PipelineArgumentError } from './errors';

export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  /** `capacity`: the most entries held at once (both generations together). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new PipelineArgumentError('BoundedCache capacity', capacity, 'an integer >= 2');
    }
    this.generationSize = Math.floor(capacity / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.store(key, aged);
    }
    return aged;
  }

  /** `value` must not be undefined (undefined means "absent" to `get`). */
  set(key: K, value: V): void {
    if (this.young.has(key)) {
      this.young.set(key, value);
      return;
    }
    this.old.delete(key);
    this.store(key, value);
  }

  /** The cached value for `key`, computing and caching it on a miss. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    this.store(key, value);
    return value;
  }

  private store(key: K, value: V): void {
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
