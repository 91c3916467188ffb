import { Dec, HUNDRED, roundStop, towardProfit, unfavourable, dec } from './money.ts';
import { profitQuote, scaledPercent } from './profit.ts';
import { windowMillis, windowStart, type WindowTick } from './window.ts';
import type {
  BigJumpPolicy,
  ElasticPolicy,
  ElasticUnit,
  Millis,
  PeakLockPolicy,
  Side,
} from '../../../src/domain/types.ts';

/**
 * What SETE needs to know about the position. Amounts in the `percent` unit are kept
 * multiplied by the entry price ("scaled"), so every SETE comparison is a comparison of
 * finite decimals — exact, with no division. In the `quote` unit the scale is 1.
 */
export interface ElasticFrame {
  readonly unit: ElasticUnit;
  readonly entry: Dec;
  readonly quantity: Dec;
  readonly side: Side;
  readonly tickSize: Dec;
}

/** Returns the profit of `price` in the frame's unit, scaled (see {@link ElasticFrame}). */
function elasticProfit(frame: ElasticFrame, price: Dec): Dec {
  return frame.unit === 'quote'
    ? profitQuote(price, frame.entry, frame.quantity, frame.side)
    : scaledPercent(price, frame.entry, frame.side);
}

/** Returns a policy amount (engageAt, floor, minStep, …) on the frame's scale. */
function elasticAmount(frame: ElasticFrame, amount: string): Dec {
  const value = dec(amount);
  return frame.unit === 'quote' ? value : value.times(frame.entry);
}

/** Returns true when the peak profit has reached `engageAt` (WAITING → ENGAGED). */
export function elasticEngages(
  policy: ElasticPolicy,
  frame: ElasticFrame,
  peakPrice: Dec,
): boolean {
  return elasticProfit(frame, peakPrice).gte(elasticAmount(frame, policy.engageAt));
}

/**
 * Returns the lock after the pullback rule: target = max(floor, peak × (1 − pullback)); the
 * first lock is the target, a later one moves only when target ≥ lock + minStep.
 */
export function pullbackLock(
  policy: ElasticPolicy,
  frame: ElasticFrame,
  peakPrice: Dec,
  lock: Dec | undefined,
): Dec {
  const peak = elasticProfit(frame, peakPrice);
  const floor = elasticAmount(frame, policy.floor);
  const pulled = peak.times(dec(1).minus(dec(policy.pullback)));
  const target = pulled.gt(floor) ? pulled : floor;
  if (lock === undefined) return target;
  return target.gte(lock.plus(elasticAmount(frame, policy.minStep))) ? target : lock;
}

/**
 * Returns the big-jump lock (now − margin) when profit jumped by at least `threshold` above
 * the lowest profit of the window and that lock beats the current one; undefined otherwise.
 */
export function bigJumpLock(
  policy: BigJumpPolicy,
  frame: ElasticFrame,
  buffer: readonly WindowTick[],
  now: Millis,
  price: Dec,
  lock: Dec,
): Dec | undefined {
  let worst = price;
  for (
    let i = windowStart(buffer, now, windowMillis(policy.windowSeconds));
    i < buffer.length;
    i++
  ) {
    worst = unfavourable(worst, dec((buffer[i] as WindowTick)[1]), frame.side);
  }
  const current = elasticProfit(frame, price);
  const lowest = elasticProfit(frame, worst);
  const locked = current.minus(elasticAmount(frame, policy.margin));
  if (current.minus(lowest).gte(elasticAmount(frame, policy.threshold)) && locked.gt(lock))
    return locked;
  return undefined;
}

/** Returns true when the peak profit has reached peakLock.trigger (ENGAGED → PEAK_LOCKED). */
export function peakLockTriggered(
  policy: PeakLockPolicy,
  frame: ElasticFrame,
  peakPrice: Dec,
): boolean {
  return elasticProfit(frame, peakPrice).gte(elasticAmount(frame, policy.trigger));
}

/** Returns the lock held while PEAK_LOCKED: never below peakLock.lock. */
export function peakLockFloor(policy: PeakLockPolicy, frame: ElasticFrame, lock: Dec): Dec {
  const floor = elasticAmount(frame, policy.lock);
  return floor.gt(lock) ? floor : lock;
}

/**
 * Returns the elastic candidate: the price whose profit equals `lock`, rounded toward the
 * market (quote: entry ± lock / quantity; percent: entry × (1 ± lock/100)).
 */
export function elasticStop(frame: ElasticFrame, lock: Dec): Dec {
  const move = frame.unit === 'quote' ? lock.div(frame.quantity) : lock.div(HUNDRED);
  return roundStop(towardProfit(frame.entry, move, frame.side), frame.tickSize, frame.side);
}

// Decimal places a percent lock is printed with when it does not terminate.
const LOCK_PLACES = 40;

/** Returns the lock as people read it: quote currency, or percent of entry. */
export function lockValue(frame: ElasticFrame, lock: Dec): Dec {
  if (frame.unit === 'quote') return lock;
  return lock.div(frame.entry).toDecimalPlaces(LOCK_PLACES, Dec.ROUND_HALF_EVEN);
}
