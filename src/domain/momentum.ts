import { fractionOf, productAtLeast } from './exactInt.ts';
import { windowMillis, windowStart, type PriceWindow } from './window.ts';
import type { MomentumPolicy, Millis } from './types.ts';

/** Momentum as integers: a move of m % is (p − ref) × 100·10^k against m·10^k × ref. */
export interface MomentumRule {
  readonly windowMs: number;
  /** 100 × 10^(places of thresholdPercent) and thresholdPercent × 10^places. */
  readonly thresholdScale: number;
  readonly threshold: number;
  readonly releaseScale: number;
  readonly release: number;
}

function scaledPercent(percent: string): [number, number] {
  const f = fractionOf(percent);
  return [100 * 10 ** f.places, Number(f.n)];
}

/** Returns the momentum rule of `policy`. */
export function momentumRule(policy: MomentumPolicy): MomentumRule {
  const [thresholdScale, threshold] = scaledPercent(policy.thresholdPercent);
  const [releaseScale, release] = scaledPercent(policy.releasePercent);
  return {
    windowMs: windowMillis(policy.windowSeconds),
    thresholdScale,
    threshold,
    releaseScale,
    release,
  };
}

/**
 * Returns the reference price of the momentum window ending at `now`, in units: the price of
 * its oldest tick. The window always holds the current tick, so NaN means an empty buffer.
 */
export function momentumReference(rule: MomentumRule, window: PriceWindow, now: Millis): number {
  const start = windowStart(window, now, rule.windowMs);
  return start < window.length ? (window[start + 1] as number) : Number.NaN;
}

/**
 * Returns true when the favourable move from `ref` to `price` is at least thresholdPercent:
 * (p − ref) × 100 ≥ threshold × ref, with p and ref signed and `refUnits` = |ref|.
 */
export function momentumAccelerates(
  rule: MomentumRule,
  price: number,
  ref: number,
  refUnits: number,
): boolean {
  return productAtLeast(price - ref, rule.thresholdScale, rule.threshold, refUnits);
}

/** Returns true when the favourable move from `ref` to `price` has dropped below releasePercent. */
export function momentumReleases(
  rule: MomentumRule,
  price: number,
  ref: number,
  refUnits: number,
): boolean {
  return !productAtLeast(price - ref, rule.releaseScale, rule.release, refUnits);
}
