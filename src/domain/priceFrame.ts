import { ceilDivBig, fractionOf, pow10Big } from './exactInt.ts';
import { dec } from './money.ts';
import { MAX_SCALE, MAX_UNITS, pow10 } from './priceUnits.ts';
import type { DecimalString, Market, PositionSpec, Side } from './types.ts';

/**
 * What every rule needs to know about a position to work in integer price units. Prices are
 * held *signed toward profit*: a long's as they are, a short's negated, so that for both sides
 * "higher is better", crossing is `price ≤ stop` and rounding toward the market is rounding up.
 * A short mirrors every comparison, max/min and sign of the SPEC; negating does exactly that.
 */
export interface PriceFrame {
  readonly side: Side;
  /** +1 for a long, −1 for a short: signed price = sign × units. */
  readonly sign: 1 | -1;
  /** Price units are 10^−scale. */
  readonly scale: number;
  /** The entry price, signed. */
  readonly entry: number;
  /** The entry price in units (positive): what percents are taken of. */
  readonly entryUnits: number;
  /** The tick size in units. */
  readonly tick: number;
}

/** Thrown when a position's numbers cannot be held exactly; the message names the value. */
export class PriceRangeError extends RangeError {
  override readonly name = 'PriceRangeError';
}

/** Returns the decimal places of decimal text that validation has accepted. */
export function placesOfText(text: DecimalString): number {
  return dec(text).decimalPlaces();
}

/**
 * Returns the smallest scale at which the market's tick size and the entry price are whole
 * numbers of units: every stop is a multiple of the tick, and every rule measures from entry.
 */
export function scaleOf(market: Market, position: PositionSpec): number {
  return Math.max(placesOfText(market.tickSize), placesOfText(position.entryPrice));
}

/** Returns `value` as units of the frame's scale (validation has bounded it), as a BigInt. */
function units(text: DecimalString, scale: number): bigint {
  const f = fractionOf(text);
  return (f.n * pow10Big(scale)) / pow10Big(f.places);
}

/**
 * Returns the frame of a position at `scale`. Throws PriceRangeError when the entry price or
 * the tick size would not be an exact integer below 2^51 units there.
 */
export function priceFrame(market: Market, position: PositionSpec, scale: number): PriceFrame {
  const entryUnits = units(position.entryPrice, scale);
  const tick = units(market.tickSize, scale);
  if (scale > MAX_SCALE || entryUnits > BigInt(MAX_UNITS) || tick > BigInt(MAX_UNITS)) {
    throw new PriceRangeError(
      `entry price ${position.entryPrice} and tick size ${market.tickSize} need ${scale} decimal places; Ratchet keeps prices exact up to ${MAX_SCALE} places and 2^51 units of the finest place.`,
    );
  }
  const sign = position.side === 'long' ? 1 : -1;
  return {
    side: position.side,
    sign,
    scale,
    entry: sign * Number(entryUnits),
    entryUnits: Number(entryUnits),
    tick: Number(tick),
  };
}

/** Returns 10^scale as a BigInt: the units of one whole price. */
export function unitBig(frame: PriceFrame): bigint {
  return pow10Big(frame.scale);
}

/** Returns 10^scale as a number. */
export function unit(frame: PriceFrame): number {
  return pow10(frame.scale);
}

/** Returns a signed price in units as a safe number, or throws PriceRangeError naming `what`. */
export function safeUnits(value: bigint, what: string): number {
  if (value > BigInt(MAX_UNITS) || value < -BigInt(MAX_UNITS))
    throw new PriceRangeError(`${what} lies beyond the exact range of 2^51 price units`);
  return Number(value);
}

/**
 * Returns the stop for the exact signed price num / den (units), rounded toward the market:
 * up to a multiple of the tick (for a short, whose prices are negated, that is down).
 */
export function roundedStop(frame: PriceFrame, num: bigint, den: bigint, what: string): number {
  const tick = BigInt(frame.tick);
  return safeUnits(ceilDivBig(num, den * tick) * tick, what);
}

/**
 * Returns the lowest signed price whose profit is at least `percent` % of entry:
 * (p − entry) × 100 ≥ percent × entry, without the division (SPEC: exact arithmetic).
 */
export function profitThreshold(frame: PriceFrame, percent: DecimalString): number {
  const f = fractionOf(percent);
  const rise = ceilDivBig(f.n * BigInt(frame.entryUnits), 100n * pow10Big(f.places));
  return safeUnits(BigInt(frame.entry) + rise, `${percent} % of the entry price`);
}

/** Returns the lowest signed price at or beyond the absolute price `price` (long: p ≥ price; short: p ≤ price). */
export function priceThreshold(frame: PriceFrame, price: DecimalString): number {
  const f = fractionOf(price);
  const signed = BigInt(frame.sign) * f.n * unitBig(frame);
  return safeUnits(ceilDivBig(signed, pow10Big(f.places)), `price ${price}`);
}
