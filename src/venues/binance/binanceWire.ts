import type { Side } from '../../domain/types.ts';
import { parseDecimal } from '../../domain/money.ts';
import type { MarketOrderResult, StopStatus, VenuePosition, VenueStopOrder } from '../port.ts';

/**
 * Binance's raw JSON (ccxt's `info`) to the port's types. Prices and quantities are read from
 * the raw strings, never from ccxt's parsed floats, so they stay exact.
 */

/** A raw JSON object as Binance sent it. */
export type RawRecord = Readonly<Record<string, unknown>>;

function text(raw: RawRecord, key: string): string | undefined {
  const v = raw[key];
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

function millis(raw: RawRecord, key: string): number | undefined {
  const v = raw[key];
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function flag(raw: RawRecord, key: string): boolean {
  const v = raw[key];
  return v === true || v === 'true';
}

function unsigned(amount: string): string {
  return amount.replace(/^[-+]/, '');
}

function isZero(amount: string | undefined): boolean {
  return parseDecimal(amount ?? '')?.isZero() ?? true;
}

const ALGO_STATUS: Readonly<Record<string, StopStatus>> = {
  NEW: 'open',
  TRIGGERING: 'open',
  TRIGGERED: 'triggered',
  FINISHED: 'triggered',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  REJECTED: 'rejected',
};

/**
 * Returns the position in a `positionRisk` row, or undefined for a flat one. Binance reports no
 * opening time: `openedAt` is the row's `updateTime`, the last change of the position.
 */
export function positionFromRest(raw: RawRecord): VenuePosition | undefined {
  const symbol = text(raw, 'symbol');
  const amount = text(raw, 'positionAmt');
  const entryPrice = text(raw, 'entryPrice');
  if (symbol === undefined || amount === undefined || entryPrice === undefined || isZero(amount))
    return undefined;
  const mark = text(raw, 'markPrice');
  return {
    symbol,
    side: amount.startsWith('-') ? 'short' : 'long',
    quantity: unsigned(amount),
    entryPrice,
    openedAt: millis(raw, 'updateTime') ?? 0,
    markPrice: mark === undefined || isZero(mark) ? undefined : mark,
  };
}

/**
 * Returns the position in an ACCOUNT_UPDATE entry (`{ s, pa, ep }`), `closed` when it is flat;
 * `at` is the event's time, which stands in for the opening time as in `positionFromRest`.
 */
export function positionFromStream(
  raw: RawRecord,
  at: number,
): VenuePosition | { readonly symbol: string; readonly closed: true } | undefined {
  const symbol = text(raw, 's');
  const amount = text(raw, 'pa');
  const entryPrice = text(raw, 'ep');
  if (symbol === undefined || amount === undefined) return undefined;
  if (isZero(amount)) return { symbol, closed: true };
  if (entryPrice === undefined) return undefined;
  return {
    symbol,
    side: amount.startsWith('-') ? 'short' : 'long',
    quantity: unsigned(amount),
    entryPrice,
    openedAt: at,
    markPrice: undefined,
  };
}

function closedSide(orderSide: string | undefined): Side {
  // A SELL stop closes a long; a BUY stop closes a short.
  return orderSide === 'BUY' ? 'short' : 'long';
}

/** Returns the stop in a REST algo order (`algoOrder`, `openAlgoOrders`), or undefined if malformed. */
export function stopFromRest(raw: RawRecord): VenueStopOrder | undefined {
  const id = text(raw, 'algoId');
  const symbol = text(raw, 'symbol');
  const status = ALGO_STATUS[text(raw, 'algoStatus') ?? ''];
  if (id === undefined || symbol === undefined || status === undefined) return undefined;
  const closePosition = flag(raw, 'closePosition');
  const quantity = text(raw, 'quantity');
  const createdAt = millis(raw, 'createTime') ?? 0;
  return {
    id,
    clientId: text(raw, 'clientAlgoId') ?? '',
    symbol,
    positionSide: closedSide(text(raw, 'side')),
    stopPrice: text(raw, 'triggerPrice') ?? '0',
    quantity: closePosition || quantity === undefined || isZero(quantity) ? undefined : quantity,
    reduceOnly: flag(raw, 'reduceOnly'),
    closePosition,
    status,
    createdAt,
    updatedAt: millis(raw, 'updateTime') ?? createdAt,
  };
}

/**
 * Returns the stop in an ALGO_UPDATE order object (`{ aid, caid, X, tp, … }`), or undefined when
 * it is not one. The stream carries no creation time: `createdAt` is the update's time `at`.
 */
export function stopFromStream(raw: RawRecord, at: number): VenueStopOrder | undefined {
  const id = text(raw, 'aid');
  const symbol = text(raw, 's');
  const status = ALGO_STATUS[text(raw, 'X') ?? ''];
  if (id === undefined || symbol === undefined || status === undefined) return undefined;
  const closePosition = flag(raw, 'cp');
  const quantity = text(raw, 'q');
  return {
    id,
    clientId: text(raw, 'caid') ?? '',
    symbol,
    positionSide: closedSide(text(raw, 'S')),
    stopPrice: text(raw, 'tp') ?? '0',
    quantity: closePosition || quantity === undefined || isZero(quantity) ? undefined : quantity,
    reduceOnly: flag(raw, 'R'),
    closePosition,
    status,
    createdAt: at,
    updatedAt: at,
  };
}

/** Returns the outcome in a REST order (`POST/GET /fapi/v1/order`), or undefined if malformed. */
export function marketOrderFromRest(raw: RawRecord): MarketOrderResult | undefined {
  const id = text(raw, 'orderId');
  const status = text(raw, 'status');
  if (id === undefined || status === undefined) return undefined;
  const average = text(raw, 'avgPrice');
  return {
    id,
    clientId: text(raw, 'clientOrderId') ?? '',
    status:
      status === 'FILLED'
        ? 'filled'
        : status === 'NEW' || status === 'PARTIALLY_FILLED'
          ? 'open'
          : 'expired',
    filledQuantity: text(raw, 'executedQty') ?? '0',
    averagePrice: average === undefined || isZero(average) ? undefined : average,
  };
}
