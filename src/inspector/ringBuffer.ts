/**
 * The last `capacity` items pushed, oldest first: pushing past the capacity overwrites the
 * oldest in place, so a history that grows for weeks costs a fixed array.
 */
export class RingBuffer<T> {
  private readonly slots: (T | undefined)[] = [];
  private start = 0;
  private count = 0;

  /** Returns an empty buffer keeping at most `capacity` (≥ 1) items. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity ${capacity} is not a whole number ≥ 1`);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.slots.push(item);
      this.count++;
      return;
    }
    this.slots[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Returns the newest item, or undefined when empty. */
  last(): T | undefined {
    if (this.count === 0) return undefined;
    return this.slots[(this.start + this.count - 1) % this.capacity];
  }

  /** Returns the items oldest first, as a new array. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++)
      out.push(this.slots[(this.start + i) % this.capacity] as T);
    return out;
  }
}
