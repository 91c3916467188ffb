/**
 * The REST polling pace of each symbol, set by the lanes of the positions trading it.
 *
 * While a symbol is served by polling, a lane cannot be faster than the polls that feed it,
 * so the symbol polls at the fastest lane interval among its positions: one fast position
 * makes its symbol poll fast, and the symbol slows down again when that position downgrades
 * or closes. Feed `intervalMs$` to `restPollingSource({ intervalMs })`.
 */
import { BehaviorSubject, distinctUntilChanged, map, type Observable } from 'rxjs';

/**
 * Per-symbol registry of lane intervals. Keys identify the lane (e.g. the position id); a lane
 * with interval 0 (pass-through) asks for no particular pace, so it does not make a symbol
 * poll in a busy loop.
 */
export class PollPace {
  private readonly symbols = new Map<string, BehaviorSubject<ReadonlyMap<string, number>>>();

  /** @param defaultMs the interval of a symbol no lane has asked to pace (the config's pollIntervalMs). */
  constructor(private readonly defaultMs: number) {
    if (!(Number.isFinite(defaultMs) && defaultMs > 0)) {
      throw new RangeError(
        `poll interval must be a positive number of milliseconds, got ${defaultMs}`,
      );
    }
  }

  /** Records that lane `key` on `symbol` now runs at `intervalMs`. */
  set(symbol: string, key: string, intervalMs: number): void {
    const subject = this.subject(symbol);
    const next = new Map(subject.value);
    next.set(key, intervalMs);
    subject.next(next);
  }

  /** Forgets lane `key` on `symbol` (its position closed or unsubscribed). */
  clear(symbol: string, key: string): void {
    const subject = this.subject(symbol);
    if (!subject.value.has(key)) return;
    const next = new Map(subject.value);
    next.delete(key);
    subject.next(next);
  }

  /** Returns the interval `symbol` should poll at now: the fastest positive lane interval, or the default. */
  intervalMs(symbol: string): number {
    return this.pace(this.subject(symbol).value);
  }

  /** Returns the symbol's polling interval, now and on every change (no repeats). */
  intervalMs$(symbol: string): Observable<number> {
    return this.subject(symbol).pipe(
      map((lanes) => this.pace(lanes)),
      distinctUntilChanged(),
    );
  }

  private pace(lanes: ReadonlyMap<string, number>): number {
    let fastest = Infinity;
    for (const ms of lanes.values()) if (ms > 0 && ms < fastest) fastest = ms;
    return fastest === Infinity ? this.defaultMs : fastest;
  }

  private subject(symbol: string): BehaviorSubject<ReadonlyMap<string, number>> {
    let subject = this.symbols.get(symbol);
    if (subject === undefined) {
      subject = new BehaviorSubject<ReadonlyMap<string, number>>(new Map());
      this.symbols.set(symbol, subject);
    }
    return subject;
  }
}
