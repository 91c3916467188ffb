import type { DecimalString, Side } from '../../domain/types.ts';
import { Dec, parseDecimal, roundStop } from '../../domain/money.ts';
import { VenueError, type VenueMarket } from '../port.ts';

/** One listed contract: the venue's id, ccxt's unified symbol and its trading grid. */
export interface ListedMarket extends VenueMarket {
  readonly unifiedSymbol: string;
}

function positive(what: string, text: DecimalString, symbol: string): Dec {
  const value = parseDecimal(text);
  if (value === undefined || !value.gt(0))
    throw new VenueError(
      'invalid',
      `The ${what} for ${symbol} must be a positive decimal number such as "0.01"; got "${text}".`,
    );
  return value;
}

// Plain notation with no more decimals than the grid has: ccxt and Binance read it as written.
function onGrid(value: Dec, grid: DecimalString): DecimalString {
  return value.toFixed(new Dec(grid).decimalPlaces());
}

/**
 * Returns the stop price on the market's tick, rounded toward the market (up for a long's stop,
 * down for a short's) so rounding never loosens it. Throws VenueError `invalid` on a
 * non-positive or non-numeric price.
 */
export function stopPriceOnTick(market: VenueMarket, price: DecimalString, side: Side): string {
  const value = positive('stop price', price, market.symbol);
  const rounded = roundStop(value, new Dec(market.tickSize), side);
  if (!rounded.gt(0))
    throw new VenueError(
      'invalid',
      `The stop price for ${market.symbol} rounds to zero: ${price}.`,
    );
  return onGrid(rounded, market.tickSize);
}

/**
 * Returns the quantity on the market's step, rounded up: a reduce-only order never closes more
 * than the position, and rounding down would leave a sliver unprotected. Throws VenueError
 * `invalid` on a non-positive or non-numeric quantity.
 */
export function quantityOnStep(market: VenueMarket, quantity: DecimalString): string {
  const value = positive('quantity', quantity, market.symbol);
  return onGrid(value.toNearest(new Dec(market.stepSize), Dec.ROUND_CEIL), market.stepSize);
}
