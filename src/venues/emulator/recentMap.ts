/**
 * A map that keeps only its `capacity` most recently added entries: adding past the capacity
 * evicts the oldest entry and reports it, so an index pointing into the map can be kept in step.
 * It is how the emulator keeps "the last N finished things" in a process that runs for weeks.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  /** Returns an empty map keeping at most `capacity` entries (0 keeps none). */
  constructor(
    readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`capacity ${capacity} is not a whole number ≥ 0`);
  }

  /** Adds (or re-adds as the newest) `key`, evicting the oldest entries beyond the capacity. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const [oldKey, oldValue] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldKey);
      this.onEvict(oldKey, oldValue);
    }
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the kept values, oldest first. */
  values(): V[] {
    return [...this.entries.values()];
  }
}
