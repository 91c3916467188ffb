import { fractionOf, pow10Big } from './exactInt.ts';
import type { DecimalString, Millis } from './types.ts';

/**
 * The look-back buffer of accepted ticks, flat: `[ts0, units0, ts1, units1, …]` in time order
 * (units as received, not signed). Flat numbers copy, compare and serialize without a per-tick
 * object.
 */
export type PriceWindow = readonly number[];

/**
 * Returns the window length in whole milliseconds. Ticks carry integer ms, so
 * `ts ≥ now − seconds × 1000` holds exactly when `ts ≥ now − ⌊seconds × 1000⌋`.
 */
export function windowMillis(seconds: DecimalString): number {
  const f = fractionOf(seconds);
  return Number((f.n * 1000n) / pow10Big(f.places));
}

/**
 * Returns the index (even) of the first tick of `window` inside the window of `lengthMs` that
 * ends at `now`, or `window.length` when none is. Ticks are in time order: a binary search.
 */
export function windowStart(window: PriceWindow, now: Millis, lengthMs: number): number {
  const from = now - lengthMs;
  let low = 0;
  let high = window.length >> 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((window[mid * 2] as number) < from) low = mid + 1;
    else high = mid;
  }
  return low * 2;
}

/**
 * Returns `window` with the tick (ts, units) appended and the ticks older than `keepMs` (the
 * longest window a rule needs) dropped, so it stays small however long the position lives;
 * `keepMs` −1 keeps nothing.
 */
export function pushWindow(
  window: PriceWindow,
  ts: Millis,
  units: number,
  keepMs: number,
): number[] {
  if (keepMs < 0) return [];
  // A snapshot's window is never changed in place: each tick gets a copy. Sized once (a slice
  // then a push would copy the kept ticks twice, when the push outgrows the slice).
  const from = windowStart(window, ts, keepMs);
  const length = window.length - from;
  const next = new Array<number>(length + 2);
  for (let i = 0; i < length; i++) next[i] = window[from + i] as number;
  next[length] = ts;
  next[length + 1] = units;
  return next;
}

/** Returns the lowest signed price of `window` from index `from` (even) on, and `price`. */
export function windowLow(window: PriceWindow, from: number, price: number, sign: 1 | -1): number {
  let low = price;
  for (let i = from + 1; i < window.length; i += 2) {
    const p = sign * (window[i] as number);
    if (p < low) low = p;
  }
  return low;
}
