import { parseDecimal, type Dec } from './money.ts';
import type { Millis, RejectReason, Tick } from '../../../src/domain/types.ts';

/** Step 0's verdict on one tick: its exact price when accepted, or why it is rejected. */
type TickCheck =
  | { readonly price: Dec; readonly why?: undefined }
  | { readonly price?: undefined; readonly why: RejectReason };

/**
 * Returns the tick's exact price, or why SPEC step 0 rejects it, checked in the SPEC's order:
 * a price that is not a finite decimal or a ts that is not a finite number is "not a number", a
 * price ≤ 0 is "not positive", a ts earlier than `lastAcceptedTs` is "out of order" (an equal ts
 * is accepted; with no tick accepted yet nothing is out of order).
 */
export function checkTick(tick: Tick, lastAcceptedTs: Millis | undefined): TickCheck {
  const price = parseDecimal(tick.price);
  // A NaN ts compares false with everything: accepted, it would become the reference that no
  // later tick is ever "earlier than", and order would never be checked again.
  if (price === undefined || !Number.isFinite(tick.ts)) return { why: 'not a number' };
  if (price.lte(0)) return { why: 'not positive' };
  if (lastAcceptedTs !== undefined && tick.ts < lastAcceptedTs) return { why: 'out of order' };
  return { price };
}
