import { dec, parseDecimal, type Dec } from './money.ts';
import type { DecimalString } from './types.ts';

/**
 * Prices inside the rules are whole numbers of a position's price unit, 10^−scale (scale 2:
 * 100.05 is 10005). Every price, stop and threshold the rules compare is such an integer, so a
 * comparison is one machine instruction and nothing is rounded. The bound leaves room for the
 * sum or difference of two prices to stay an exact JS integer (below 2^53).
 */
export const MAX_UNITS = 2 ** 51;

/** The most decimal places a scale may have: 10^15 units of 1 would already pass the bound. */
export const MAX_SCALE = 15;

const POWERS = Array.from({ length: MAX_SCALE + 1 }, (_, n) => 10 ** n);

/** Returns 10^n for 0 ≤ n ≤ MAX_SCALE (exact: every such power is a safe integer). */
export function pow10(n: number): number {
  return POWERS[n] ?? Number.NaN;
}

const DOT = 46;
const ZERO = 48;

/**
 * Returns the price written in `text` as units of 10^−scale, or NaN when the text is not a
 * plain positive decimal ("100.05", "7") that fits the scale: exponents, signs, spaces, more
 * places than `scale` or more than 15 digits are the slow path's ({@link readUnits}).
 * Allocates nothing: this runs on every tick.
 */
export function plainUnits(text: string, scale: number): number {
  const length = text.length;
  if (length === 0 || length > 16) return Number.NaN;
  let units = 0;
  let places = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (places !== -1 || i === 0 || i === length - 1) return Number.NaN;
      places = 0;
      continue;
    }
    const digit = c - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    units = units * 10 + digit;
    if (places !== -1) places++;
  }
  if (places === -1) places = 0;
  if (places > scale) return Number.NaN;
  units *= POWERS[scale - places] as number;
  return units <= MAX_UNITS ? units : Number.NaN;
}

/** Returns the decimal places of the exact value of `value` ("1.50" → 1, "1e-3" → 3, "1e3" → 0). */
export function placesOf(value: Dec): number {
  return value.decimalPlaces();
}

/**
 * Returns `value` as units of 10^−scale, or undefined when it is not a whole number of them or
 * lies beyond ±{@link MAX_UNITS}.
 */
export function unitsOf(value: Dec, scale: number): number | undefined {
  if (value.decimalPlaces() > scale) return undefined;
  const units = value.times(pow10(scale)).toNumber();
  return Math.abs(units) <= MAX_UNITS ? units : undefined;
}

/**
 * Returns the exact decimal in `text` for the slow path of step 0: undefined when it is not a
 * finite decimal number (the engine's one parser, shared with configuration and streams).
 */
export function readUnits(text: string): Dec | undefined {
  return parseDecimal(text);
}

/** Returns the units of a decimal string that validation has accepted; throws when it does not fit `scale`. */
export function unitsOfText(text: DecimalString, scale: number): number {
  const fast = plainUnits(text, scale);
  if (fast === fast) return fast;
  const units = unitsOf(dec(text), scale);
  if (units === undefined)
    throw new RangeError(`${text} is not a whole number of 10^-${scale} within ±2^51`);
  return units;
}

/**
 * Returns `units` × 10^−scale as plain decimal text, written as decimal.js's `toFixed()` writes
 * it: no exponent, no trailing zeros, no sign on zero ("100.5", "0.05", "-3", "0").
 */
export function unitsText(units: number, scale: number): string {
  if (units === 0) return '0';
  const negative = units < 0;
  let digits = String(negative ? -units : units);
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const point = digits.length - scale;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === ZERO) end--;
    digits =
      end === point
        ? digits.slice(0, point)
        : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  }
  return negative ? `-${digits}` : digits;
}
