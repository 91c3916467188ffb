import { Decimal } from 'decimal.js';
import { errors } from './errors.ts';
import type { AlgoOrderRequest, MarketOrderRequest } from './exchange.ts';
import type { AlgoOrderType, OrderSide, WorkingType } from './types.ts';

/** Parses Binance's form parameters into typed order requests, answering Binance's codes. */

const CONDITIONAL_TYPES = new Set([
  'STOP_MARKET',
  'TAKE_PROFIT_MARKET',
  'TRAILING_STOP_MARKET',
  'STOP',
  'TAKE_PROFIT',
]);

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v === '') throw errors.mandatoryMissing(name);
  return v;
}

function decimal(p: URLSearchParams, name: string): Decimal | undefined {
  const v = p.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v)) throw errors.badParam(name);
  return new Decimal(v);
}

function bool(p: URLSearchParams, name: string): boolean {
  const v = p.get(name);
  if (v === null) return false;
  if (v === 'true' || v === 'TRUE') return true;
  if (v === 'false' || v === 'FALSE') return false;
  throw errors.badParam(name);
}

function side(p: URLSearchParams): OrderSide {
  const v = required(p, 'side');
  if (v !== 'BUY' && v !== 'SELL') throw errors.badParam('side');
  return v;
}

function optional(p: URLSearchParams, name: string): string | undefined {
  const v = p.get(name);
  return v === null || v === '' ? undefined : v;
}

const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Returns a client order id parameter; throws -1100 outside Binance's 36-character alphabet. */
function clientId(p: URLSearchParams, name: string): string | undefined {
  const v = optional(p, name);
  if (v !== undefined && !CLIENT_ID.test(v)) throw errors.illegalClientId(name);
  return v;
}

/**
 * Returns the market order of a `POST /fapi/v1/order`. Conditional types answer -4120 as on
 * Binance since the algo migration; other non-market types are outside the emulator (-1116).
 */
export function parseMarketOrder(p: URLSearchParams): MarketOrderRequest {
  const type = required(p, 'type');
  if (CONDITIONAL_TYPES.has(type)) throw errors.conditionalOnOrderEndpoint();
  if (type !== 'MARKET') throw errors.badParam('type');
  if (bool(p, 'closePosition')) throw errors.closePositionWithQty();
  return {
    symbol: required(p, 'symbol'),
    side: side(p),
    quantity: decimal(p, 'quantity'),
    reduceOnly: bool(p, 'reduceOnly'),
    clientOrderId: clientId(p, 'newClientOrderId'),
  };
}

/** Returns the conditional order of a `POST /fapi/v1/algoOrder`. */
export function parseAlgoOrder(p: URLSearchParams): AlgoOrderRequest {
  const algoType = required(p, 'algoType');
  if (algoType !== 'CONDITIONAL') throw errors.badParam('algoType');
  const type = required(p, 'type');
  if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET' && type !== 'TRAILING_STOP_MARKET') {
    throw errors.badParam('type');
  }
  const workingType = optional(p, 'workingType') ?? 'CONTRACT_PRICE';
  if (workingType !== 'CONTRACT_PRICE' && workingType !== 'MARK_PRICE')
    throw errors.badParam('workingType');
  const closePosition = bool(p, 'closePosition');
  const quantity = decimal(p, 'quantity');
  if (closePosition && quantity !== undefined) throw errors.closePositionWithQty();
  return {
    symbol: required(p, 'symbol'),
    side: side(p),
    orderType: type satisfies AlgoOrderType,
    quantity,
    triggerPrice: decimal(p, 'triggerPrice') ?? decimal(p, 'stopPrice'),
    callbackRate: decimal(p, 'callbackRate'),
    activatePrice: decimal(p, 'activationPrice') ?? decimal(p, 'activatePrice'),
    workingType: workingType satisfies WorkingType,
    reduceOnly: bool(p, 'reduceOnly'),
    closePosition,
    priceProtect: bool(p, 'priceProtect'),
    clientAlgoId: clientId(p, 'clientAlgoId'),
  };
}

/** Returns an integer id parameter, undefined when absent; throws -1130 when malformed. */
export function idParam(p: URLSearchParams, name: string): number | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw errors.badParam(name);
  return Number(v);
}

/** Returns a string parameter, undefined when absent or empty. */
export function stringParam(p: URLSearchParams, name: string): string | undefined {
  return optional(p, name);
}
