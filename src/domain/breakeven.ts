import { fractionOf, pow10Big } from './exactInt.ts';
import { profitThreshold, roundedStop, type PriceFrame } from './priceFrame.ts';
import type { BreakevenPolicy } from './types.ts';

/** Breakeven as integers: the signed price that reaches it and the stop it then offers. */
export interface BreakevenRule {
  /** Lowest signed price whose profit % reaches triggerPercent. */
  readonly trigger: number;
  /** The candidate entry × (1 + offset/100) (short: 1 − offset/100), signed and rounded. */
  readonly stop: number;
}

/** Returns the breakeven rule of `policy`. */
export function breakevenRule(policy: BreakevenPolicy, frame: PriceFrame): BreakevenRule {
  const offset = fractionOf(policy.offsetPercent);
  const den = 100n * pow10Big(offset.places);
  return {
    trigger: profitThreshold(frame, policy.triggerPercent),
    stop: roundedStop(
      frame,
      BigInt(frame.entry) * den + BigInt(frame.entryUnits) * offset.n,
      den,
      'the breakeven stop',
    ),
  };
}
