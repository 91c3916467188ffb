import {
  boundedNumber,
  ceilDivBig,
  floorDivBig,
  fractionOf,
  fractionText,
  pow10Big,
  type Fraction,
} from './exactInt.ts';
import { Dec, dec } from './money.ts';
import { MAX_UNITS } from './priceUnits.ts';
import { safeUnits, type PriceFrame } from './priceFrame.ts';
import { windowMillis } from './window.ts';
import type { ElasticPolicy, ElasticUnit, Side } from './types.ts';

/**
 * SETE (the Smart Elastic Trailing Engine) as integers. Its lock is a profit in the policy's
 * unit — quote currency, or percent kept multiplied by the entry price as before — held exactly
 * as an integer count of 10^−places (`places` fits every amount the rules can produce). The
 * tick-by-tick questions — engage? peak lock? a big jump? does the pullback move the lock? —
 * reduce to comparing the signed price with thresholds worked out once per lock, so a tick
 * that changes nothing costs a few integer comparisons; BigInt arithmetic runs only when the
 * lock moves.
 */
export interface ElasticRule {
  readonly unit: ElasticUnit;
  /** Lowest signed peak that engages. */
  readonly engage: number;
  /** Lowest signed peak that enters PEAK_LOCKED, when peakLock is set. */
  readonly peakLockAt: number | undefined;
  /** The big-jump window and the rise (units) over its lowest price that makes a jump. */
  readonly jump: { readonly windowMs: number; readonly rise: number } | undefined;
  /** Places of the lock's integer form. */
  readonly places: number;
  /** Lock (×10^places) per unit of price above entry. */
  readonly perUnit: bigint;
  /** The same after the pullback: perUnit × (1 − pullback). */
  readonly pulledPerUnit: bigint;
  readonly floor: bigint;
  readonly minStep: bigint;
  readonly margin: bigint;
  readonly peakLock: bigint | undefined;
  readonly entry: bigint;
  readonly tick: bigint;
}

/** A lock and the thresholds that say when it moves next (all in signed price units). */
export interface LockFacts {
  /** The lock × 10^places. */
  readonly n: bigint;
  /** The lock as decimal text (what the context keeps). */
  readonly text: string;
  /** The elastic candidate: the price whose profit equals the lock, rounded toward the market. */
  readonly stop: number;
  /** Lowest peak at which the pullback rule moves the lock. */
  readonly pullbackPeak: number;
  /** Lowest price at which a big jump (now − margin) beats the lock. */
  readonly jumpBeat: number;
}

/** Returns the elastic rule of `policy` for a position of `quantity`. */
export function elasticRule(
  policy: ElasticPolicy,
  frame: PriceFrame,
  quantity: string,
): ElasticRule {
  const amounts = [
    policy.engageAt,
    policy.floor,
    policy.minStep,
    policy.bigJump?.threshold,
    policy.bigJump?.margin,
    policy.peakLock?.trigger,
    policy.peakLock?.lock,
  ].filter((a): a is string => a !== undefined);
  const amountPlaces = Math.max(...amounts.map((a) => fractionOf(a).places));
  const pullback = fractionOf(policy.pullback);
  const qty: Fraction = policy.unit === 'quote' ? fractionOf(quantity) : { n: 100n, places: 0 };
  const places = frame.scale + qty.places + Math.max(pullback.places, amountPlaces);
  // Profit of one price unit: quote (p − entry) × quantity, percent (p − entry) × 100.
  const perUnit = qty.n * pow10Big(places - frame.scale - qty.places);
  const whole = pow10Big(pullback.places);
  const amount = (text: string): bigint => {
    const f = fractionOf(text);
    return policy.unit === 'quote'
      ? f.n * pow10Big(places - f.places)
      : // percent × entry: the lock is kept multiplied by the entry price (exact, no division).
        f.n * BigInt(frame.entryUnits) * pow10Big(places - f.places - frame.scale);
  };
  const entry = BigInt(frame.entry);
  const threshold = (text: string) =>
    boundedNumber(entry + ceilDivBig(amount(text), perUnit), MAX_UNITS);
  return {
    unit: policy.unit,
    engage: threshold(policy.engageAt),
    peakLockAt: policy.peakLock === undefined ? undefined : threshold(policy.peakLock.trigger),
    jump:
      policy.bigJump === undefined
        ? undefined
        : {
            windowMs: windowMillis(policy.bigJump.windowSeconds),
            rise: boundedNumber(ceilDivBig(amount(policy.bigJump.threshold), perUnit), MAX_UNITS),
          },
    places,
    perUnit,
    pulledPerUnit: (perUnit * (whole - pullback.n)) / whole,
    floor: amount(policy.floor),
    minStep: amount(policy.minStep),
    margin: policy.bigJump === undefined ? 0n : amount(policy.bigJump.margin),
    peakLock: policy.peakLock === undefined ? undefined : amount(policy.peakLock.lock),
    entry,
    tick: BigInt(frame.tick),
  };
}

/** Returns the first lock, at engagement: max(floor, peak profit × (1 − pullback)). */
export function engagedLock(rule: ElasticRule, peak: number): bigint {
  const pulled = (BigInt(peak) - rule.entry) * rule.pulledPerUnit;
  return pulled > rule.floor ? pulled : rule.floor;
}

/** Returns the pullback lock for signed peak `peak` (valid once `peak` ≥ the lock's pullbackPeak). */
export function pulledLock(rule: ElasticRule, peak: number): bigint {
  return (BigInt(peak) - rule.entry) * rule.pulledPerUnit;
}

/** Returns the big-jump lock at signed price `price`: its profit minus the margin. */
export function jumpLock(rule: ElasticRule, price: number): bigint {
  return (BigInt(price) - rule.entry) * rule.perUnit - rule.margin;
}

/** Returns the lock held while PEAK_LOCKED: never below peakLock.lock. */
export function peakLockFloor(rule: ElasticRule, lock: bigint): bigint {
  return rule.peakLock !== undefined && rule.peakLock > lock ? rule.peakLock : lock;
}

/** Returns the lock × 10^places of its decimal text. */
export function lockOfText(rule: ElasticRule, text: string): bigint {
  const f = fractionOf(text);
  return f.n * pow10Big(rule.places - f.places);
}

/** Returns the lock `n` (× 10^places) as decimal text. */
export function lockText(rule: ElasticRule, n: bigint): string {
  return fractionText(n, rule.places);
}

/**
 * Returns the lock `n` as a `bigJumpLocked` line prints it: quote currency as it is, a percent
 * lock divided back by the entry price (40 places when it does not terminate; docs/rules.md).
 */
export function shownLock(rule: ElasticRule, n: bigint, entryPrice: string): string {
  const lock = new Dec(lockText(rule, n));
  if (rule.unit === 'quote') return lock.toFixed();
  return lockValue(
    { unit: 'percent', entry: dec(entryPrice), quantity: dec(1), side: 'long' },
    lock,
  ).toFixed();
}

/** Returns the lock `n` with its candidate and the thresholds of its next move. */
export function lockFacts(rule: ElasticRule, n: bigint, text?: string): LockFacts {
  const beat = floorDivBig(n + rule.margin, rule.perUnit) + 1n;
  const pull =
    rule.minStep > 0n
      ? ceilDivBig(n + rule.minStep, rule.pulledPerUnit)
      : floorDivBig(n, rule.pulledPerUnit) + 1n;
  return {
    n,
    text: text ?? lockText(rule, n),
    stop: safeUnits(
      ceilDivBig(rule.entry * rule.perUnit + n, rule.perUnit * rule.tick) * rule.tick,
      'the elastic stop',
    ),
    pullbackPeak: boundedNumber(rule.entry + pull, MAX_UNITS),
    jumpBeat: boundedNumber(rule.entry + beat, MAX_UNITS),
  };
}

/** What SETE's lock means for people: the position's entry, size and side (decimals). */
export interface ElasticFrame {
  readonly unit: ElasticUnit;
  readonly entry: Dec;
  readonly quantity: Dec;
  readonly side: Side;
}

// Decimal places a percent lock is printed with when it does not terminate.
const LOCK_PLACES = 40;

/** Returns the lock as people read it: quote currency, or percent of entry. */
export function lockValue(frame: ElasticFrame, lock: Dec): Dec {
  if (frame.unit === 'quote') return lock;
  return lock.div(frame.entry).toDecimalPlaces(LOCK_PLACES, Dec.ROUND_HALF_EVEN);
}
