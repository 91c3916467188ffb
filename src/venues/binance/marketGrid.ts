import type { DecimalString, Side } from '../../domain/types.ts';
import { Dec, parseDecimal, roundStop } from '../../domain/money.ts';
import { VenueError, type VenueMarket } from '../port.ts';

/** One listed contract: the venue's id, ccxt's unified symbol and its trading grid. */
export interface ListedMarket extends VenueMarket {
  readonly unifiedSymbol: string;
}

interface RawFilter {
  readonly filterType?: unknown;
  readonly tickSize?: unknown;
  readonly stepSize?: unknown;
}

/**
 * Returns the grid of a market from its raw exchangeInfo entry (the PRICE_FILTER tick and the
 * LOT_SIZE step, as Binance wrote them), or undefined when either filter is missing.
 */
export function gridFromExchangeInfo(
  id: string,
  unifiedSymbol: string,
  info: unknown,
): ListedMarket | undefined {
  const filters = (info as { filters?: unknown } | undefined)?.filters;
  if (!Array.isArray(filters)) return undefined;
  const find = (type: string, key: 'tickSize' | 'stepSize'): string | undefined => {
    const f = (filters as RawFilter[]).find((x) => x.filterType === type)?.[key];
    return typeof f === 'string' && (parseDecimal(f)?.gt(0) ?? false) ? f : undefined;
  };
  const tickSize = find('PRICE_FILTER', 'tickSize');
  const stepSize = find('LOT_SIZE', 'stepSize');
  if (tickSize === undefined || stepSize === undefined) return undefined;
  return { symbol: id, unifiedSymbol, tickSize, stepSize };
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
