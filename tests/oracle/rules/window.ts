import { dec } from './money.ts';
import type { DecimalString, Millis } from '../../../src/domain/types.ts';

/** One accepted tick as rules that look back in time keep it: `[ts, price]`. */
export type WindowTick = readonly [Millis, DecimalString];

// A policy has at most two window lengths, asked for on every tick.
const lengths = new Map<DecimalString, number>();

/**
 * Returns the window length in whole milliseconds. Ticks carry integer ms, so
 * `ts ≥ now − seconds × 1000` holds exactly when `ts ≥ now − floor(seconds × 1000)`.
 */
export function windowMillis(seconds: DecimalString): number {
  let ms = lengths.get(seconds);
  if (ms === undefined) {
    ms = dec(seconds).times(1000).floor().toNumber();
    lengths.set(seconds, ms);
  }
  return ms;
}

/**
 * Returns the index of the first tick of `buffer` inside the window that ends at `now`
 * (`buffer.length` when none is). Ticks are in time order, so a binary search finds it.
 */
export function windowStart(buffer: readonly WindowTick[], now: Millis, lengthMs: number): number {
  const from = now - lengthMs;
  let low = 0;
  let high = buffer.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((buffer[mid] as WindowTick)[0] < from) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Returns the ticks of `buffer` inside the window that ends at `now` (SPEC "Window"). */
function ticksInWindow(buffer: readonly WindowTick[], now: Millis, lengthMs: number): WindowTick[] {
  return buffer.slice(windowStart(buffer, now, lengthMs));
}

/**
 * Returns `buffer` with `tick` appended and the ticks older than the longest window any rule
 * needs dropped, so a snapshot stays small however long the position lives.
 */
export function pushWindow(
  buffer: readonly WindowTick[],
  tick: WindowTick,
  keepMs: number,
): WindowTick[] {
  if (keepMs < 0) return [];
  const kept = ticksInWindow(buffer, tick[0], keepMs);
  kept.push(tick);
  return kept;
}
