import { dec } from '../domain/money.ts';
import { openingScale } from '../domain/positionRules.ts';
import { MAX_SCALE, unitsOf } from '../domain/priceUnits.ts';
import type { Market, PositionSpec } from '../domain/types.ts';

/** A position context as machine version 1 wrote it: prices as decimal text. */
interface ContextV1 {
  readonly market: Market;
  readonly position: PositionSpec;
  readonly lastPrice: string | null;
  readonly peakPrice: string | null;
  readonly extreme: string | null;
  readonly window: readonly (readonly [number, string])[];
  readonly [key: string]: unknown;
}

function isContextV1(context: unknown): context is ContextV1 {
  return (
    typeof context === 'object' &&
    context !== null &&
    'peakPrice' in context &&
    'offers' in context &&
    'position' in context
  );
}

/**
 * Returns a position context written by machine version 1 in the shape version 2 reads: prices
 * as integer units at the finest scale any of them needs, the window flat, no standing offers
 * (after every step the stop is at least each of them, so none can ever move it) and no step in
 * progress. Any other context (an order-sync machine's) is returned as it is. Throws when a
 * price cannot be held exactly.
 */
export function upgradePositionContextV1(context: unknown): unknown {
  if (!isContextV1(context)) return context;
  const { lastPrice, peakPrice, extreme, window, market, position } = context;
  const texts = [lastPrice, peakPrice, extreme, ...window.map(([, price]) => price)].filter(
    (t): t is string => t !== null,
  );
  const scale = Math.max(
    openingScale(market, position),
    ...texts.map((t) => dec(t).decimalPlaces()),
  );
  const units = (text: string | null): number | null => {
    if (text === null) return null;
    const value = scale > MAX_SCALE ? undefined : unitsOf(dec(text), scale);
    if (value === undefined)
      throw new RangeError(`price ${text} of a version-1 snapshot cannot be held exactly`);
    return value;
  };
  const kept: Record<string, unknown> = { ...context };
  for (const key of ['lastPrice', 'peakPrice', 'offers', 'windowMs']) delete kept[key];
  return {
    ...kept,
    scale,
    last: units(lastPrice),
    peak: units(peakPrice),
    extreme: units(extreme),
    window: window.flatMap(([ts, price]) => [ts, units(price) as number]),
    step: null,
  };
}
