/**
 * The emulator's notion of "now". It is an I/O component and may use timers, but every timestamp
 * it stamps (fills, events, unprotectedMs, the recvWindow check) comes from this clock so tests
 * can pin or advance time.
 */
export interface Clock {
  /** Returns the current time in epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that moves only when told to. It starts at the wall-clock time by default because
 * ccxt signs requests with its own `Date.now()` and the emulator rejects timestamps outside
 * recvWindow (-1021).
 */
export class ManualClock implements Clock {
  private t: number;

  /** Returns a clock frozen at `start` (default: the current wall-clock time). */
  constructor(start: number = Date.now()) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.t += ms;
  }

  /** Sets the clock to an absolute time. */
  set(t: number): void {
    this.t = t;
  }
}
