import { Decimal } from 'decimal.js';
import type { OrderSide } from './types.ts';

/** A position's size and cost basis; amount is signed (negative = short). */
export interface Holding {
  readonly amount: Decimal;
  readonly entryPrice: Decimal;
}

/** What one fill did to a holding. */
export interface FillEffect extends Holding {
  /** PnL realised by the part of the fill that reduced the holding. */
  readonly realized: Decimal;
}

const ENTRY_DECIMALS = 8;

/**
 * Returns the holding after a fill of `qty` at `price` on `side`: an increase averages the entry
 * price, a reduction realises PnL at the old entry, and a fill larger than the holding flips it
 * with the remainder entered at `price`. Entry prices keep 8 decimals as Binance reports them.
 */
export function applyFill(h: Holding, side: OrderSide, qty: Decimal, price: Decimal): FillEffect {
  const signed = side === 'BUY' ? qty : qty.neg();
  const amount = h.amount.plus(signed);
  if (h.amount.isZero() || h.amount.isNeg() === signed.isNeg()) {
    const cost = h.amount.abs().mul(h.entryPrice).plus(qty.mul(price));
    const entry = amount.isZero()
      ? new Decimal(0)
      : cost.div(amount.abs()).toDecimalPlaces(ENTRY_DECIMALS);
    return { amount, entryPrice: entry, realized: new Decimal(0) };
  }
  const closed = Decimal.min(qty, h.amount.abs());
  const direction = h.amount.isNeg() ? -1 : 1;
  const realized = closed.mul(price.minus(h.entryPrice)).mul(direction);
  let entry: Decimal;
  if (amount.isZero()) entry = new Decimal(0);
  else if (amount.isNeg() === h.amount.isNeg()) entry = h.entryPrice;
  else entry = price;
  return { amount, entryPrice: entry, realized };
}

/**
 * Returns the quantity a reduce-only order may execute: at most the holding's size, and zero
 * when the order's side would grow or open a position rather than shrink it.
 */
export function reducibleQty(h: Holding, side: OrderSide, requested: Decimal | undefined): Decimal {
  if (h.amount.isZero()) return new Decimal(0);
  const reduces = side === 'SELL' ? h.amount.isPos() : h.amount.isNeg();
  if (!reduces) return new Decimal(0);
  return requested === undefined ? h.amount.abs() : Decimal.min(requested, h.amount.abs());
}
