import { fractionOf, pow10Big } from './exactInt.ts';
import { roundedStop, unitBig, type PriceFrame } from './priceFrame.ts';
import type { InitialStopPolicy } from './types.ts';

/**
 * Returns the stop placed when the position opens, signed: entry × (1 − percent/100) for a
 * long, × (1 + percent/100) for a short, or the absolute price — rounded toward the market.
 */
export function initialStop(policy: InitialStopPolicy, frame: PriceFrame): number {
  if ('percent' in policy) {
    const f = fractionOf(policy.percent);
    const den = 100n * pow10Big(f.places);
    const num = BigInt(frame.entry) * den - BigInt(frame.entryUnits) * f.n;
    return roundedStop(frame, num, den, 'the initial stop');
  }
  const f = fractionOf(policy.price);
  return roundedStop(
    frame,
    BigInt(frame.sign) * f.n * unitBig(frame),
    pow10Big(f.places),
    'the initial stop',
  );
}
