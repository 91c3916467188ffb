import { priceFrame, type PriceFrame } from '../../src/domain/priceFrame.ts';
import { unitsText, unitsOfText } from '../../src/domain/priceUnits.ts';
import { Dec } from '../../src/domain/money.ts';
import type { Side } from '../../src/domain/types.ts';

/**
 * Returns the price frame of a position at `entry` with tick `tick`, at a scale fine enough for
 * every price in `prices` too (as a position rescales when a finer price arrives).
 */
export function frameOf(
  entry: string,
  side: Side,
  tick: string,
  prices: readonly string[] = [],
): PriceFrame {
  const scale = Math.max(...[entry, tick, ...prices].map((p) => new Dec(p).decimalPlaces()));
  return priceFrame(
    { tickSize: tick },
    { side, entryPrice: entry, quantity: '1', openedAt: 0 },
    scale,
  );
}

/** Returns the signed units of `price` in `frame`. */
export function signed(frame: PriceFrame, price: string): number {
  return frame.sign * unitsOfText(price, frame.scale);
}

/** Returns signed units of `frame` as decimal text. */
export function textOf(frame: PriceFrame, units: number): string {
  return unitsText(frame.sign * units, frame.scale);
}
