import { Dec, dec } from './money.ts';
import { profitAtLeast } from './profit.ts';
import type {
  ActivationPolicy,
  ActivationReason,
  Millis,
  Side,
} from '../../../src/domain/types.ts';

/** The facts one activation check looks at. */
interface ActivationInput {
  readonly ts: Millis;
  readonly price: Dec;
  readonly openedAt: Millis;
  readonly entry: Dec;
  readonly side: Side;
}

/**
 * Returns why distance trailing starts at this tick — the first condition that holds in the
 * SPEC's order (immediate, price, profit, time) — or undefined when none holds yet.
 * A missing activation block means immediate.
 */
export function activationReason(
  policy: ActivationPolicy | undefined,
  input: ActivationInput,
): ActivationReason | undefined {
  if (policy === undefined || policy.immediate === true) return 'immediate';
  const { price, entry, side } = input;
  if (policy.price !== undefined) {
    const level = dec(policy.price);
    if (side === 'long' ? price.gte(level) : price.lte(level)) return 'price';
  }
  if (policy.profitPercent !== undefined) {
    if (profitAtLeast(price, entry, side, dec(policy.profitPercent))) return 'profit';
  }
  if (policy.afterSeconds !== undefined) {
    const elapsed = dec(input.ts - input.openedAt);
    const due = elapsed.gte(dec(policy.afterSeconds).times(1000));
    const minProfit = policy.minProfitPercent;
    if (due && (minProfit === undefined || profitAtLeast(price, entry, side, dec(minProfit)))) {
      return 'time';
    }
  }
  return undefined;
}
