import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { AlgoOrder, Position } from './types.ts';

// Decimals travel as strings so a saved stop comes back to the exact tick it rested at.
const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'a plain decimal string');
const optionalDecimal = decimalText.nullable();
const millis = z.number().int().nonnegative();

const positionStateSchema = z.object({
  symbol: z.string(),
  amount: decimalText,
  entryPrice: decimalText,
  realizedPnl: decimalText,
  openedAt: millis,
  updateTime: millis,
});

const algoOrderStateSchema = z.object({
  algoId: z.number().int().positive(),
  clientAlgoId: z.string(),
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  orderType: z.enum(['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']),
  quantity: optionalDecimal,
  triggerPrice: optionalDecimal,
  callbackRate: optionalDecimal,
  activatePrice: optionalDecimal,
  workingType: z.enum(['CONTRACT_PRICE', 'MARK_PRICE']),
  reduceOnly: z.boolean(),
  closePosition: z.boolean(),
  priceProtect: z.boolean(),
  createTime: millis,
  updateTime: millis,
  activated: z.boolean(),
  extreme: optionalDecimal,
});

/**
 * The part of an emulated account that a paper run keeps across restarts: each symbol's last and
 * mark price, the open positions, the resting conditional orders (ids and client ids included,
 * so an engine finds its own stops again), the wallet and the id counters. Finished orders, fills
 * and unprotected-time records are history, not state, and start empty.
 */
export const exchangeStateSchema = z.object({
  prices: z.record(z.string(), z.object({ last: decimalText, mark: decimalText })),
  positions: z.array(positionStateSchema),
  openAlgoOrders: z.array(algoOrderStateSchema),
  wallet: decimalText,
  nextOrderId: z.number().int().positive(),
  nextAlgoId: z.number().int().positive(),
  nextTradeId: z.number().int().positive(),
  clientSeq: z.number().int().nonnegative(),
});

/** A saved account, as {@link exchangeStateSchema} describes it (plain JSON). */
export type ExchangeState = z.infer<typeof exchangeStateSchema>;

type PositionState = z.infer<typeof positionStateSchema>;
type AlgoOrderState = z.infer<typeof algoOrderStateSchema>;

const text = (d: Decimal | undefined): string | null => (d === undefined ? null : d.toString());
const dec = (s: string | null): Decimal | undefined => (s === null ? undefined : new Decimal(s));

/** Returns the saved form of an open position. */
export function positionToState(p: Position): PositionState {
  return {
    symbol: p.symbol,
    amount: p.amount.toString(),
    entryPrice: p.entryPrice.toString(),
    realizedPnl: p.realizedPnl.toString(),
    openedAt: p.openedAt,
    updateTime: p.updateTime,
  };
}

/** Returns the position a saved one describes. */
export function positionFromState(s: PositionState): Position {
  return {
    symbol: s.symbol,
    amount: new Decimal(s.amount),
    entryPrice: new Decimal(s.entryPrice),
    realizedPnl: new Decimal(s.realizedPnl),
    openedAt: s.openedAt,
    updateTime: s.updateTime,
  };
}

/** Returns the saved form of a resting conditional order, its trailing progress included. */
export function algoOrderToState(o: AlgoOrder): AlgoOrderState {
  return {
    algoId: o.algoId,
    clientAlgoId: o.clientAlgoId,
    symbol: o.symbol,
    side: o.side,
    orderType: o.orderType,
    quantity: text(o.quantity),
    triggerPrice: text(o.triggerPrice),
    callbackRate: text(o.callbackRate),
    activatePrice: text(o.activatePrice),
    workingType: o.workingType,
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    priceProtect: o.priceProtect,
    createTime: o.createTime,
    updateTime: o.updateTime,
    activated: o.activated,
    extreme: text(o.extreme),
  };
}

/** Returns the resting (NEW) conditional order a saved one describes. */
export function algoOrderFromState(s: AlgoOrderState): AlgoOrder {
  return {
    algoId: s.algoId,
    clientAlgoId: s.clientAlgoId,
    symbol: s.symbol,
    side: s.side,
    orderType: s.orderType,
    quantity: dec(s.quantity),
    triggerPrice: dec(s.triggerPrice),
    callbackRate: dec(s.callbackRate),
    activatePrice: dec(s.activatePrice),
    workingType: s.workingType,
    reduceOnly: s.reduceOnly,
    closePosition: s.closePosition,
    priceProtect: s.priceProtect,
    createTime: s.createTime,
    activated: s.activated,
    extreme: dec(s.extreme),
    status: 'NEW',
    updateTime: s.updateTime,
    triggerTime: 0,
    actualOrderId: undefined,
    executedQty: new Decimal(0),
    avgPrice: new Decimal(0),
    rejectReason: '',
  };
}
