import { dec, type Dec } from './money.ts';
import type { DecimalString, Side } from '../../../src/domain/types.ts';

/**
 * Returns true when `price` crosses `stop` for a position on `side` (SPEC "Crossed"): a long's
 * stop at price ≤ stop, a short's at price ≥ stop.
 */
export function crossesStop(side: Side, price: Dec, stop: Dec | DecimalString): boolean {
  const level = typeof stop === 'string' ? dec(stop) : stop;
  return side === 'long' ? price.lte(level) : price.gte(level);
}
