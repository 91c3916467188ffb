import type { Decimal } from 'decimal.js';
import type { AlgoOrderType, OrderSide, WorkingType } from './types.ts';

/** A request for a market order, already parsed from the wire. */
export interface MarketOrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: Decimal | undefined;
  readonly reduceOnly: boolean;
  readonly clientOrderId: string | undefined;
}

/** A request for a conditional (algo) order, already parsed from the wire. */
export interface AlgoOrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: AlgoOrderType;
  readonly quantity: Decimal | undefined;
  readonly triggerPrice: Decimal | undefined;
  readonly callbackRate: Decimal | undefined;
  readonly activatePrice: Decimal | undefined;
  readonly workingType: WorkingType;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly priceProtect: boolean;
  readonly clientAlgoId: string | undefined;
}

/** One public trade, as the market streams publish it. */
export interface TradeTick {
  readonly symbol: string;
  readonly tradeId: number;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly time: number;
  readonly isBuyerMaker: boolean;
}

/** What the exchange tells its listeners. */
export interface ExchangeListener {
  trade?(tick: TradeTick): void;
  user?(event: Record<string, unknown>): void;
}
