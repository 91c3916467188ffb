import type { AlertTimers } from '../../src/telemetry/deliveryQueue.ts';

/** Timers and a clock that move only when the test says so. */
export class ManualTimers implements AlertTimers {
  now: number;
  private pending: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.now + ms, seq: (this.seq += 1), fn };
    this.pending.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t !== handle);
  }

  /** How many timers wait to fire. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves the clock by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.pending
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.fn();
    }
    this.now = end;
  }
}
