import { Decimal } from 'decimal.js';
import { errors } from './errors.ts';
import { isMultipleOf, type SymbolSpec } from './markets.ts';
import type { AlgoOrderRequest } from './requests.ts';
import type { AlgoOrder } from './types.ts';

/**
 * Throws the error Binance answers for a malformed conditional order: -1102 for a missing
 * quantity or trigger price, -4003/-1130 for a bad quantity, -1106 for reduceOnly next to
 * closePosition, -2007 for a callbackRate outside [0.1, 10], -4014 for a price off the tick.
 */
export function validateAlgoRequest(req: AlgoOrderRequest, spec: SymbolSpec): void {
  if (req.closePosition && req.reduceOnly) throw errors.notRequired('reduceOnly');
  if (!req.closePosition) {
    if (req.quantity === undefined) throw errors.mandatoryMissing('quantity');
    if (req.quantity.lte(0)) throw errors.badStep();
    if (!isMultipleOf(req.quantity, spec.stepSize)) throw errors.badParam('quantity');
  }
  if (req.orderType === 'TRAILING_STOP_MARKET') {
    const rate = req.callbackRate;
    if (rate === undefined || rate.lt('0.1') || rate.gt(10)) throw errors.badCallbackRate();
    if (req.activatePrice !== undefined && !isMultipleOf(req.activatePrice, spec.tickSize))
      throw errors.badTick();
  } else {
    if (req.triggerPrice === undefined) throw errors.mandatoryMissing('triggerPrice');
    if (!isMultipleOf(req.triggerPrice, spec.tickSize)) throw errors.badTick();
  }
}

/** Returns a NEW conditional order for a validated request; trailing state starts inactive. */
export function newAlgoOrder(
  req: AlgoOrderRequest,
  algoId: number,
  clientAlgoId: string,
  now: number,
): AlgoOrder {
  return {
    algoId,
    clientAlgoId,
    symbol: req.symbol,
    side: req.side,
    orderType: req.orderType,
    quantity: req.closePosition ? undefined : req.quantity,
    triggerPrice: req.orderType === 'TRAILING_STOP_MARKET' ? undefined : req.triggerPrice,
    callbackRate: req.orderType === 'TRAILING_STOP_MARKET' ? req.callbackRate : undefined,
    activatePrice: req.orderType === 'TRAILING_STOP_MARKET' ? req.activatePrice : undefined,
    workingType: req.workingType,
    reduceOnly: req.reduceOnly,
    closePosition: req.closePosition,
    priceProtect: req.priceProtect,
    createTime: now,
    activated: false,
    extreme: undefined,
    status: 'NEW',
    updateTime: now,
    triggerTime: 0,
    actualOrderId: undefined,
    executedQty: new Decimal(0),
    avgPrice: new Decimal(0),
    rejectReason: '',
  };
}
