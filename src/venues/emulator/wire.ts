import { Decimal } from 'decimal.js';
import type { AlgoOrder, MarketOrder, Position } from './types.ts';

/**
 * Binance's JSON shapes for orders, positions and user-data events. Kept apart from the matching
 * logic so the field names ccxt parses live in one place.
 */

const str = (d: Decimal | undefined): string => (d === undefined ? '0' : d.toString());

/** Returns the REST body of an algo order (`POST/GET /fapi/v1/algoOrder`, `openAlgoOrders`). */
export function algoOrderJson(o: AlgoOrder): Record<string, unknown> {
  return {
    algoId: o.algoId,
    clientAlgoId: o.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: o.orderType,
    symbol: o.symbol,
    side: o.side,
    positionSide: 'BOTH',
    timeInForce: o.closePosition ? 'GTE_GTC' : 'GTC',
    quantity: o.quantity === undefined ? '0' : o.quantity.toString(),
    algoStatus: o.status,
    triggerPrice: str(o.triggerPrice),
    price: '0',
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: o.workingType,
    priceMatch: 'NONE',
    closePosition: o.closePosition,
    priceProtect: o.priceProtect,
    reduceOnly: o.reduceOnly,
    ...(o.orderType === 'TRAILING_STOP_MARKET'
      ? { activatePrice: str(o.activatePrice), callbackRate: str(o.callbackRate) }
      : {}),
    createTime: o.createTime,
    updateTime: o.updateTime,
    triggerTime: o.triggerTime,
    goodTillDate: 0,
    actualOrderId: o.actualOrderId === undefined ? '' : String(o.actualOrderId),
    executedQty: o.executedQty.toString(),
    avgPrice: o.avgPrice.toString(),
  };
}

/** Returns the REST body of a matching-engine order (`POST/GET /fapi/v1/order`). */
export function marketOrderJson(o: MarketOrder): Record<string, unknown> {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: '0',
    avgPrice: o.avgPrice.toString(),
    origQty: o.origQty.toString(),
    executedQty: o.executedQty.toString(),
    cumQty: o.executedQty.toString(),
    cumQuote: o.executedQty.mul(o.avgPrice).toString(),
    timeInForce: 'GTC',
    type: 'MARKET',
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    side: o.side,
    positionSide: 'BOTH',
    stopPrice: o.stopPrice.toString(),
    workingType: o.workingType,
    priceProtect: false,
    origType: o.origType,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}

/** Returns an ORDER_TRADE_UPDATE event; `last` carries the fill when executionType is TRADE. */
export function orderTradeUpdate(
  o: MarketOrder,
  executionType: 'NEW' | 'TRADE' | 'EXPIRED',
  now: number,
  last: { qty: Decimal; price: Decimal; tradeId: number } | undefined,
): Record<string, unknown> {
  const status = executionType === 'NEW' ? 'NEW' : o.status;
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: now,
    T: now,
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: 'MARKET',
      f: 'GTC',
      q: o.origQty.toString(),
      p: '0',
      ap: executionType === 'NEW' ? '0' : o.avgPrice.toString(),
      sp: o.stopPrice.toString(),
      x: executionType,
      X: status,
      i: o.orderId,
      l: last === undefined ? '0' : last.qty.toString(),
      z: executionType === 'NEW' ? '0' : o.executedQty.toString(),
      L: last === undefined ? '0' : last.price.toString(),
      n: '0',
      N: 'USDT',
      T: now,
      t: last === undefined ? 0 : last.tradeId,
      b: '0',
      a: '0',
      m: false,
      R: o.reduceOnly,
      wt: o.workingType,
      ot: o.origType,
      ps: 'BOTH',
      cp: o.closePosition,
      rp: executionType === 'TRADE' ? o.realizedPnl.toString() : '0',
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
    },
  };
}

/** Returns an ALGO_UPDATE event for the order's current status. */
export function algoUpdate(o: AlgoOrder, now: number): Record<string, unknown> {
  return {
    e: 'ALGO_UPDATE',
    T: now,
    E: now,
    o: {
      caid: o.clientAlgoId,
      aid: o.algoId,
      at: 'CONDITIONAL',
      o: o.orderType,
      s: o.symbol,
      S: o.side,
      ps: 'BOTH',
      f: o.closePosition ? 'GTE_GTC' : 'GTC',
      q: o.quantity === undefined ? '0' : o.quantity.toString(),
      X: o.status,
      ai: o.actualOrderId === undefined ? '' : String(o.actualOrderId),
      ap: o.avgPrice.toString(),
      aq: o.executedQty.toString(),
      act: o.actualOrderId === undefined ? '0' : 'MARKET',
      tp: str(o.triggerPrice),
      p: '0',
      V: 'EXPIRE_MAKER',
      wt: o.workingType,
      pm: 'NONE',
      cp: o.closePosition,
      pP: o.priceProtect,
      R: o.reduceOnly,
      tt: o.triggerTime,
      gtd: 0,
      rm: o.rejectReason,
      ...(o.orderType === 'TRAILING_STOP_MARKET'
        ? { AP: str(o.activatePrice), cr: str(o.callbackRate) }
        : {}),
    },
  };
}

/** Returns an ACCOUNT_UPDATE event for one position and the USDT wallet. */
export function accountUpdate(
  p: Position,
  mark: Decimal,
  wallet: Decimal,
  now: number,
): Record<string, unknown> {
  return {
    e: 'ACCOUNT_UPDATE',
    E: now,
    T: now,
    a: {
      m: 'ORDER',
      B: [{ a: 'USDT', wb: wallet.toString(), cw: wallet.toString(), bc: '0' }],
      P: [
        {
          s: p.symbol,
          pa: p.amount.toString(),
          ep: p.entryPrice.toString(),
          bep: p.entryPrice.toString(),
          cr: p.realizedPnl.toString(),
          up: unrealized(p, mark).toString(),
          mt: 'cross',
          iw: '0',
          ps: 'BOTH',
          ma: 'USDT',
        },
      ],
    },
  };
}

/** Returns the unrealised PnL of `p` at `mark`. */
export function unrealized(p: Position, mark: Decimal): Decimal {
  return p.amount.isZero() ? new Decimal(0) : mark.minus(p.entryPrice).mul(p.amount);
}
