import { HUNDRED, type Dec } from './money.ts';
import type { Side } from './types.ts';

/**
 * Returns profit % of `p` as a decimal: `(p − entry) / entry × 100`, `(entry − p) / entry × 100`
 * for a short. A division, so for showing people, never for decisions (the rules compare
 * integer prices with thresholds worked out once).
 */
export function profitPercent(p: Dec, entry: Dec, side: Side): Dec {
  return (side === 'long' ? p.minus(entry) : entry.minus(p)).times(HUNDRED).div(entry);
}
