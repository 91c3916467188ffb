import { Dec, dec } from './money.ts';
import { scaledPercent } from './profit.ts';
import { windowMillis, windowStart, type WindowTick } from './window.ts';
import type { MomentumPolicy, Millis, Side } from '../../../src/domain/types.ts';

/**
 * Returns the reference price of the momentum window ending at `now`: the price of its oldest
 * tick. The window always holds the current tick, so undefined means an empty buffer.
 */
export function momentumReference(
  policy: MomentumPolicy,
  buffer: readonly WindowTick[],
  now: Millis,
): Dec | undefined {
  const oldest = buffer[windowStart(buffer, now, windowMillis(policy.windowSeconds))];
  return oldest === undefined ? undefined : dec(oldest[1]);
}

/** Returns true when the favourable move from `ref` to `price` is at least thresholdPercent. */
export function momentumAccelerates(
  policy: MomentumPolicy,
  price: Dec,
  ref: Dec,
  side: Side,
): boolean {
  return scaledPercent(price, ref, side).gte(dec(policy.thresholdPercent).times(ref));
}

/** Returns true when the favourable move from `ref` to `price` has dropped below releasePercent. */
export function momentumReleases(
  policy: MomentumPolicy,
  price: Dec,
  ref: Dec,
  side: Side,
): boolean {
  return scaledPercent(price, ref, side).lt(dec(policy.releasePercent).times(ref));
}
