import { fractionOf, linearCeil, pow10Big, type Fraction } from './exactInt.ts';
import { PriceRangeError, profitThreshold, type PriceFrame } from './priceFrame.ts';
import type { Distance, TrailingPolicy } from './types.ts';

/**
 * A distance resolved to the one shape every trailing candidate takes: the exact price behind
 * the extreme x is (x·a + b) / c ticks before rounding, so the candidate is ⌈(x·a + b) / c⌉
 * ticks. Percent: a = 100·10^k ∓ size (10^k: its places), b = 0; price and ticks: a = the
 * size's denominator, b = −size in units (or ticks × tick).
 */
export interface TrailingGap {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** Distance trailing as integers: tier thresholds on the peak and a gap per tier and pace. */
export interface TrailingRule {
  /** Lowest signed peak of each tier, ascending; tier i + 1 uses gaps[i + 1]. */
  readonly tiers: readonly number[];
  /** Per distance in force (0: the base distance, i: tier i), at normal pace. */
  readonly normal: readonly TrailingGap[];
  /** The same distances times the momentum factor (equal to `normal` without momentum). */
  readonly accelerated: readonly TrailingGap[];
}

function safe(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new PriceRangeError('a trailing distance is too precise for this market');
  return Number(n);
}

function times(size: Fraction, factor: Fraction | undefined): Fraction {
  return factor === undefined
    ? size
    : { n: size.n * factor.n, places: size.places + factor.places };
}

function gapOf(distance: Distance, factor: Fraction | undefined, frame: PriceFrame): TrailingGap {
  const tick = BigInt(frame.tick);
  const scaled = (text: string) => times(fractionOf(text), factor);
  if ('percent' in distance) {
    // Signed extreme x: x − |x|·s/100 = x·(100 − sign·s)/100, and |x| = sign·x.
    const s = scaled(distance.percent);
    const whole = 100n * pow10Big(s.places);
    return { a: safe(whole - BigInt(frame.sign) * s.n), b: 0, c: safe(whole * tick) };
  }
  if ('price' in distance) {
    const s = scaled(distance.price);
    const den = pow10Big(s.places);
    return { a: safe(den), b: safe(-s.n * pow10Big(frame.scale)), c: safe(den * tick) };
  }
  const s = scaled(distance.ticks);
  const den = pow10Big(s.places);
  return { a: safe(den), b: safe(-s.n * tick), c: safe(den * tick) };
}

/** Returns the trailing rule of `policy`: tiers by peak profit, times the momentum factor while accelerated. */
export function trailingRule(policy: TrailingPolicy, frame: PriceFrame): TrailingRule {
  const distances: Distance[] = [policy, ...(policy.tiers ?? [])];
  const factor = policy.momentum === undefined ? undefined : fractionOf(policy.momentum.factor);
  const normal = distances.map((d) => gapOf(d, undefined, frame));
  return {
    tiers: (policy.tiers ?? []).map((t) => profitThreshold(frame, t.fromProfitPercent)),
    normal,
    accelerated: factor === undefined ? normal : distances.map((d) => gapOf(d, factor, frame)),
  };
}

/** Returns the distance in force for signed peak `peak`: 0 for the base, i for the last tier i it reached. */
export function tierIndex(rule: TrailingRule, peak: number): number {
  let index = 0;
  const tiers = rule.tiers;
  for (let i = 0; i < tiers.length; i++) if (peak >= (tiers[i] as number)) index = i + 1;
  return index;
}

/** Returns the trailing candidate behind signed extreme `extreme`, rounded toward the market. */
export function trailingStop(
  rule: TrailingRule,
  tier: number,
  accelerated: boolean,
  extreme: number,
  frame: PriceFrame,
): number {
  const gap = (accelerated ? rule.accelerated : rule.normal)[tier] as TrailingGap;
  return linearCeil(extreme, gap.a, gap.b, gap.c) * frame.tick;
}
