import { Decimal } from 'decimal.js';
import type { AlgoOrder } from './types.ts';

/**
 * Binance's trigger rules for conditional orders, as pure functions over exact decimals so they
 * can be tested row by row without a server.
 */

/** Returns whether a stop closing on `side` is reached at `price` (SELL: at or below, BUY: at or above). */
export function stopReached(side: 'BUY' | 'SELL', trigger: Decimal, price: Decimal): boolean {
  return side === 'SELL' ? price.lte(trigger) : price.gte(trigger);
}

/** Returns the price a conditional order watches, chosen by its workingType. */
export function watchedPrice(
  order: Pick<AlgoOrder, 'workingType'>,
  last: Decimal,
  mark: Decimal,
): Decimal {
  return order.workingType === 'MARK_PRICE' ? mark : last;
}

/**
 * Returns whether a new order would trigger at once at `price`, which Binance refuses with
 * -2021: a SELL stop at or above the price, a BUY stop at or below it (mirrored for take-profit);
 * a trailing order whose activation price is already passed.
 */
export function wouldTriggerImmediately(order: AlgoOrder, price: Decimal): boolean {
  const sell = order.side === 'SELL';
  switch (order.orderType) {
    case 'STOP_MARKET':
      return (
        order.triggerPrice !== undefined &&
        (sell ? price.lte(order.triggerPrice) : price.gte(order.triggerPrice))
      );
    case 'TAKE_PROFIT_MARKET':
      return (
        order.triggerPrice !== undefined &&
        (sell ? price.gte(order.triggerPrice) : price.lte(order.triggerPrice))
      );
    case 'TRAILING_STOP_MARKET':
      // Binance: a SELL trailing activation price must be above the latest price, a BUY one below.
      return (
        order.activatePrice !== undefined &&
        (sell ? order.activatePrice.lte(price) : order.activatePrice.gte(price))
      );
  }
}

/**
 * Advances `order` with one observed `price` and returns whether it triggers now. Trailing
 * orders are mutated: activation is latched and the extreme updated before the callback test,
 * so a price that both activates and retraces in one tick cannot trigger on the same tick.
 */
export function observe(order: AlgoOrder, price: Decimal): boolean {
  const sell = order.side === 'SELL';
  if (order.orderType === 'STOP_MARKET') {
    const stop = order.triggerPrice;
    return stop !== undefined && (sell ? price.lte(stop) : price.gte(stop));
  }
  if (order.orderType === 'TAKE_PROFIT_MARKET') {
    const tp = order.triggerPrice;
    return tp !== undefined && (sell ? price.gte(tp) : price.lte(tp));
  }
  if (!order.activated) {
    const act = order.activatePrice;
    if (act === undefined || (sell ? price.gte(act) : price.lte(act))) {
      order.activated = true;
      order.extreme = price;
    }
    return false;
  }
  const extreme = order.extreme ?? price;
  const better = sell ? price.gt(extreme) : price.lt(extreme);
  if (better) {
    order.extreme = price;
    return false;
  }
  order.extreme = extreme;
  const stop = trailingStop(order);
  return sell ? price.lte(stop) : price.gte(stop);
}

/**
 * Returns the level at which an activated trailing order fires: the extreme moved against the
 * position by callbackRate percent (zero before activation, when no extreme exists yet).
 */
export function trailingStop(order: AlgoOrder): Decimal {
  const extreme = order.extreme ?? new Decimal(0);
  const rate = (order.callbackRate ?? new Decimal(1)).div(100);
  return order.side === 'SELL'
    ? extreme.mul(new Decimal(1).minus(rate))
    : extreme.mul(new Decimal(1).plus(rate));
}
