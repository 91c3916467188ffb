import { ceilDivBig, fractionOf, pow10Big } from './exactInt.ts';
import { priceThreshold, profitThreshold, type PriceFrame } from './priceFrame.ts';
import type { ActivationPolicy, ActivationReason, Millis } from './types.ts';

/** When distance trailing starts, as thresholds on the signed price and on elapsed time. */
export interface ActivationRule {
  readonly immediate: boolean;
  /** Lowest signed price that activates by `price`. */
  readonly price: number | undefined;
  /** Lowest signed price that activates by `profitPercent`. */
  readonly profit: number | undefined;
  /** Milliseconds after opening that activate by `afterSeconds`. */
  readonly afterMs: number | undefined;
  /** Lowest signed price `afterSeconds` also needs (`minProfitPercent`). */
  readonly minProfit: number | undefined;
  readonly openedAt: Millis;
}

/** Returns the activation rule of `policy` (a missing block means immediate). */
export function activationRule(
  policy: ActivationPolicy | undefined,
  frame: PriceFrame,
  openedAt: Millis,
): ActivationRule {
  const after = policy?.afterSeconds === undefined ? undefined : fractionOf(policy.afterSeconds);
  return {
    immediate: policy === undefined || policy.immediate === true,
    price: policy?.price === undefined ? undefined : priceThreshold(frame, policy.price),
    profit:
      policy?.profitPercent === undefined
        ? undefined
        : profitThreshold(frame, policy.profitPercent),
    // Ticks carry integer milliseconds: elapsed ≥ seconds × 1000 ⇔ elapsed ≥ ⌈seconds × 1000⌉.
    afterMs:
      after === undefined ? undefined : Number(ceilDivBig(after.n * 1000n, pow10Big(after.places))),
    minProfit:
      policy?.minProfitPercent === undefined
        ? undefined
        : profitThreshold(frame, policy.minProfitPercent),
    openedAt,
  };
}

/**
 * Returns why distance trailing starts at `ts` and signed price `price` — the first condition
 * that holds in the SPEC's order (immediate, price, profit, time) — or undefined when none
 * holds yet.
 */
export function activationReason(
  rule: ActivationRule,
  ts: Millis,
  price: number,
): ActivationReason | undefined {
  if (rule.immediate) return 'immediate';
  if (rule.price !== undefined && price >= rule.price) return 'price';
  if (rule.profit !== undefined && price >= rule.profit) return 'profit';
  if (
    rule.afterMs !== undefined &&
    ts - rule.openedAt >= rule.afterMs &&
    (rule.minProfit === undefined || price >= rule.minProfit)
  )
    return 'time';
  return undefined;
}
