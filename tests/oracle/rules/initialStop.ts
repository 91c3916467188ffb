import { Dec, HUNDRED, roundStop, towardLoss, dec } from './money.ts';
import type { InitialStopPolicy, Side } from '../../../src/domain/types.ts';

/**
 * Returns the stop placed when the position opens: entry × (1 − percent/100) for a long,
 * × (1 + percent/100) for a short, or the absolute price — rounded toward the market.
 */
export function initialStop(policy: InitialStopPolicy, entry: Dec, side: Side, tickSize: Dec): Dec {
  const raw =
    'percent' in policy
      ? towardLoss(entry, entry.times(dec(policy.percent)).div(HUNDRED), side)
      : dec(policy.price);
  return roundStop(raw, tickSize, side);
}
