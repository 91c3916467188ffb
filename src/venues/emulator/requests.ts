import type { Decimal } from 'decimal.js';
import type {
  AlgoOrderType,
  Fill,
  MarketOrder,
  OrderSide,
  PositionStop,
  WorkingType,
} from './types.ts';

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

/**
 * A change of the account in the exchange's own terms, for wire formats that build their own
 * user-data payloads from the state at the moment of the change.
 * - `order`: a market order was accepted (`fill` undefined), then filled (`fill` set).
 * - `position`: the position of `symbol` changed (read it, and its stop, from the exchange).
 * - `positionStop`: a position stop was set or moved, triggered, or cleared without firing.
 */
export type AccountChange =
  | { readonly kind: 'order'; readonly order: MarketOrder; readonly fill: Fill | undefined }
  | { readonly kind: 'position'; readonly symbol: string }
  | {
      readonly kind: 'positionStop';
      readonly stop: PositionStop;
      readonly status: 'set' | 'triggered' | 'cleared';
    };

/** What the exchange tells its listeners. */
export interface ExchangeListener {
  trade?(tick: TradeTick): void;
  /** Binance's user-data events (ORDER_TRADE_UPDATE, ALGO_UPDATE, ACCOUNT_UPDATE). */
  user?(event: Record<string, unknown>): void;
  /** The same changes in wire-neutral form (and the position stops, which Binance lacks). */
  account?(change: AccountChange): void;
}
