/**
 * The position changes a ccxt client parsed, kept until the adapter takes them. ccxt's
 * `watchPositions` hands a message's positions only to a call already waiting; a message that
 * arrives between two calls (a close and a reopen in quick succession) would otherwise reach
 * no one. Bounded: past `capacity` the oldest are dropped and counted, for the engine's
 * reconciliation to put right.
 */
export class PositionUpdates<T> {
  readonly #items: T[] = [];
  #dropped = 0;

  constructor(readonly capacity = 10_000) {}

  /** Adds the positions of one message, oldest first. */
  push(items: readonly T[]): void {
    this.#items.push(...items);
    const excess = this.#items.length - this.capacity;
    if (excess > 0) {
      this.#items.splice(0, excess);
      this.#dropped += excess;
    }
  }

  /** Returns every change not taken yet, in arrival order, and forgets them. */
  take(): T[] {
    return this.#items.splice(0);
  }

  /** How many are waiting. */
  get size(): number {
    return this.#items.length;
  }

  /** How many were dropped for want of room since the start. */
  get dropped(): number {
    return this.#dropped;
  }
}
