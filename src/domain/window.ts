import { dec } from './money.ts';
import type { DecimalString, Millis } from './types.ts';

/** One accepted tick as rules that look back in time keep it: `[ts, price]`. */
export type WindowTick = readonly [Millis, DecimalString];

/**
 * Returns the window length in whole milliseconds. Ticks carry integer ms, so
 * `ts ≥ now − seconds × 1000` holds exactly when `ts ≥ now − floor(seconds × 1000)`.
 */
export function windowMillis(seconds: DecimalString): number {
  return dec(seconds).times(1000).floor().toNumber();
}

/** Returns the ticks of `buffer` inside the window that ends at `now` (SPEC "Window"). */
export function ticksInWindow(
  buffer: readonly WindowTick[],
  now: Millis,
  lengthMs: number,
): WindowTick[] {
  const from = now - lengthMs;
  let i = 0;
  while (i < buffer.length && (buffer[i] as WindowTick)[0] < from) i++;
  return buffer.slice(i);
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
