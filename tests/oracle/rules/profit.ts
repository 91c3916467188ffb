import { HUNDRED, type Dec } from './money.ts';
import type { Side } from '../../../src/domain/types.ts';

/**
 * Profit in percent, kept multiplied by the entry price: `(p − entry) × 100` for a long,
 * `(entry − p) × 100` for a short. Comparing `scaledPercent(p) ≥ x × entry` is the same
 * as `profit % ≥ x` without the division, so percent rules stay exact (SPEC: "all
 * arithmetic is exact").
 */
export function scaledPercent(p: Dec, entry: Dec, side: Side): Dec {
  return (side === 'long' ? p.minus(entry) : entry.minus(p)).times(HUNDRED);
}

/** Returns true when profit % of `p` is at least `percent` (exact, no division). */
export function profitAtLeast(p: Dec, entry: Dec, side: Side, percent: Dec): boolean {
  return scaledPercent(p, entry, side).gte(percent.times(entry));
}

/** Returns profit % of `p` as a decimal (a division: for display, not for decisions). */
export function profitPercent(p: Dec, entry: Dec, side: Side): Dec {
  return scaledPercent(p, entry, side).div(entry);
}

/** Returns profit in quote currency: `(p − entry) × quantity`, sign-adjusted for a short. */
export function profitQuote(p: Dec, entry: Dec, quantity: Dec, side: Side): Dec {
  return (side === 'long' ? p.minus(entry) : entry.minus(p)).times(quantity);
}
