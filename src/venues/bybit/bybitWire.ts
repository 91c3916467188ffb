import type { Side } from '../../domain/types.ts';
import { parseDecimal } from '../../domain/money.ts';
import type { MarketOrderResult, StopStatus, VenuePosition, VenueStopOrder } from '../port.ts';

/**
 * Bybit v5's raw JSON (ccxt's `info`, or a raw response's `result.list` rows) to the port's
 * types. Prices and quantities are read from the raw strings, never from ccxt's parsed floats, so
 * they stay exact.
 */

/** A raw JSON object as Bybit sent it. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** The port's id of a position's stop: Bybit gives the trading-stop no order id of its own. */
export function positionStopId(symbol: string): string {
  return `${symbol}:sl`;
}

function text(raw: RawRecord, key: string): string | undefined {
  const v = raw[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

function millis(raw: RawRecord, key: string): number | undefined {
  const v = raw[key];
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function positive(amount: string | undefined): boolean {
  return parseDecimal(amount ?? '')?.gt(0) ?? false;
}

/**
 * Returns the position in a position row (`/v5/position/list`, or the `position` topic, which
 * names the entry price `entryPrice` where REST says `avgPrice`); `closed` for a flat row, and
 * undefined for a malformed one. `openedAt` is the row's `createdTime`, else its `updatedTime`.
 */
export function positionFromRow(
  raw: RawRecord,
): VenuePosition | { readonly symbol: string; readonly closed: true } | undefined {
  const symbol = text(raw, 'symbol');
  const size = text(raw, 'size');
  if (symbol === undefined || size === undefined) return undefined;
  const side = text(raw, 'side');
  if (!positive(size) || (side !== 'Buy' && side !== 'Sell')) return { symbol, closed: true };
  const entryPrice = text(raw, 'avgPrice') ?? text(raw, 'entryPrice');
  if (!positive(entryPrice)) return undefined;
  const mark = text(raw, 'markPrice');
  return {
    symbol,
    side: side === 'Buy' ? 'long' : 'short',
    quantity: size,
    entryPrice: entryPrice as string,
    openedAt: millis(raw, 'createdTime') ?? millis(raw, 'updatedTime') ?? 0,
    markPrice: positive(mark) ? mark : undefined,
  };
}

/**
 * Returns the stop a position row carries (`stopLoss` above zero on an open position) as one
 * reduce-only stop for the whole position, with `clientId`; undefined when none is set.
 */
export function stopFromRow(raw: RawRecord, clientId: string): VenueStopOrder | undefined {
  const position = positionFromRow(raw);
  const stopLoss = text(raw, 'stopLoss');
  if (position === undefined || 'closed' in position || !positive(stopLoss)) return undefined;
  const updatedAt = millis(raw, 'updatedTime') ?? position.openedAt;
  return {
    id: positionStopId(position.symbol),
    clientId,
    symbol: position.symbol,
    positionSide: position.side,
    stopPrice: stopLoss as string,
    quantity: position.quantity,
    reduceOnly: true,
    closePosition: false,
    status: 'open',
    createdAt: updatedAt,
    updatedAt,
  };
}

/** Bybit's order statuses for a position stop's conditional order, in the port's words. */
function stopStatusOf(status: string | undefined): StopStatus | undefined {
  switch (status) {
    case 'Untriggered':
      return 'open';
    case 'Deactivated':
    case 'Cancelled':
      return 'cancelled';
    case 'Rejected':
      return 'rejected';
    case 'Triggered':
    case 'New':
    case 'PartiallyFilled':
    case 'Filled':
      return 'triggered';
    default:
      return undefined;
  }
}

/**
 * Returns the position stop an `order` topic row reports (a `StopLoss` conditional order of a
 * Full-mode stop), or undefined for any other order. Its side is the order's closing side.
 */
export function stopFromOrderRow(raw: RawRecord, clientId: string): VenueStopOrder | undefined {
  if (text(raw, 'stopOrderType') !== 'StopLoss') return undefined;
  const symbol = text(raw, 'symbol');
  const status = stopStatusOf(text(raw, 'orderStatus'));
  if (symbol === undefined || status === undefined) return undefined;
  const positionSide: Side = text(raw, 'side') === 'Buy' ? 'short' : 'long';
  const updatedAt = millis(raw, 'updatedTime') ?? 0;
  return {
    id: positionStopId(symbol),
    clientId,
    symbol,
    positionSide,
    stopPrice: text(raw, 'triggerPrice') ?? '0',
    quantity: undefined,
    reduceOnly: true,
    closePosition: true,
    status,
    createdAt: millis(raw, 'createdTime') ?? updatedAt,
    updatedAt,
  };
}

/** Returns a market order's outcome from its row (`/v5/order/realtime`, `history`), or undefined. */
export function marketOrderFromRow(raw: RawRecord): MarketOrderResult | undefined {
  const id = text(raw, 'orderId');
  const status = text(raw, 'orderStatus');
  if (id === undefined || status === undefined) return undefined;
  const average = text(raw, 'avgPrice');
  return {
    id,
    clientId: text(raw, 'orderLinkId') ?? '',
    status:
      status === 'Filled'
        ? 'filled'
        : ['Created', 'New', 'PartiallyFilled', 'Untriggered', 'Triggered', 'Active'].includes(
              status,
            )
          ? 'open'
          : 'expired',
    filledQuantity: text(raw, 'cumExecQty') ?? '0',
    averagePrice: positive(average) ? average : undefined,
  };
}
