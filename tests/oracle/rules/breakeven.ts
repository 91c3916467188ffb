import { Dec, HUNDRED, roundStop, towardProfit, dec } from './money.ts';
import { profitAtLeast } from './profit.ts';
import type { BreakevenPolicy, Side } from '../../../src/domain/types.ts';

/** Returns true when profit % at `price` has reached the breakeven trigger. */
export function breakevenTriggered(
  policy: BreakevenPolicy,
  price: Dec,
  entry: Dec,
  side: Side,
): boolean {
  return profitAtLeast(price, entry, side, dec(policy.triggerPercent));
}

/**
 * Returns the breakeven candidate: entry × (1 + offset/100) for a long (1 − offset/100 for a
 * short), rounded toward the market.
 */
export function breakevenStop(policy: BreakevenPolicy, entry: Dec, side: Side, tickSize: Dec): Dec {
  const offset = entry.times(dec(policy.offsetPercent)).div(HUNDRED);
  return roundStop(towardProfit(entry, offset, side), tickSize, side);
}
