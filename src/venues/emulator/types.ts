import type { Decimal } from 'decimal.js';

/** Binance's order side. */
export type OrderSide = 'BUY' | 'SELL';
/** Which price a conditional order watches: the last trade or the mark price. */
export type WorkingType = 'CONTRACT_PRICE' | 'MARK_PRICE';
/** The conditional order types the emulator's algo service accepts. */
export type AlgoOrderType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'TRAILING_STOP_MARKET';
/** Algo order lifecycle as Binance names it. */
export type AlgoStatus = 'NEW' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'EXPIRED';

/** One conditional order resting in the emulated algo service. */
export interface AlgoOrder {
  readonly algoId: number;
  readonly clientAlgoId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: AlgoOrderType;
  /** Undefined with closePosition: the whole position is closed at trigger time. */
  readonly quantity: Decimal | undefined;
  /** The stop level of STOP_MARKET/TAKE_PROFIT_MARKET; undefined for trailing orders. */
  readonly triggerPrice: Decimal | undefined;
  /** Percent (1 = 1 %) for TRAILING_STOP_MARKET. */
  readonly callbackRate: Decimal | undefined;
  readonly activatePrice: Decimal | undefined;
  readonly workingType: WorkingType;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly priceProtect: boolean;
  readonly createTime: number;
  /** Trailing state: whether the activation price has been reached. */
  activated: boolean;
  /** Trailing state: the best price seen since activation (highest for SELL, lowest for BUY). */
  extreme: Decimal | undefined;
  status: AlgoStatus;
  updateTime: number;
  triggerTime: number;
  actualOrderId: number | undefined;
  executedQty: Decimal;
  avgPrice: Decimal;
  rejectReason: string;
}

/** A (market) order of the matching engine; it is filled or expired the moment it exists. */
export interface MarketOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** MARKET, or the algo type that produced it when a stop triggered. */
  readonly origType: string;
  readonly origQty: Decimal;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingType;
  readonly stopPrice: Decimal;
  /** The position stop whose trigger produced this order; undefined for every other order. */
  readonly positionStopId: number | undefined;
  readonly time: number;
  status: 'FILLED' | 'EXPIRED';
  executedQty: Decimal;
  avgPrice: Decimal;
  realizedPnl: Decimal;
  updateTime: number;
}

/**
 * A position's own stop (Bybit's trading-stop, tpslMode Full): at most one per symbol, it closes
 * the whole position whatever its size, and the exchange drops it when the position closes.
 */
export interface PositionStop {
  /** The id of the stop's conditional order; it stays the same while the stop is moved. */
  readonly orderId: number;
  readonly symbol: string;
  /** The closing side: SELL protects a long, BUY a short. */
  readonly side: OrderSide;
  triggerPrice: Decimal;
  workingType: WorkingType;
  readonly createTime: number;
  updateTime: number;
}

/** The one-way-mode position of a symbol; amount is signed (negative = short). */
export interface Position {
  readonly symbol: string;
  amount: Decimal;
  entryPrice: Decimal;
  /** Accumulated realized PnL of this position since it was opened. */
  realizedPnl: Decimal;
  openedAt: number;
  updateTime: number;
}

/** One execution. */
export interface Fill {
  readonly tradeId: number;
  readonly orderId: number;
  readonly algoId: number | undefined;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: string;
  readonly quantity: string;
  readonly realizedPnl: string;
  readonly time: number;
}

/** The prices of one symbol at an instant. */
export interface Quote {
  readonly last: Decimal;
  readonly mark: Decimal;
  readonly time: number;
}
