import { parseDecimal } from '../../domain/money.ts';
import type { ListedMarket } from '../ccxt/marketGrid.ts';

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
