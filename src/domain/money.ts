import { Decimal } from 'decimal.js';
import type { DecimalString, Side } from './types.ts';

/**
 * The engine's own decimal constructor. A private clone keeps other libraries' global
 * decimal.js settings from changing our arithmetic. Every decision is made with sums and
 * products of finite decimals (exact at any precision); the precision only bounds the few
 * divisions (quote-unit elastic candidates, percent locks printed for people).
 */
export const Dec = Decimal.clone({
  precision: 80,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -1e9,
  toExpPos: 1e9,
});
export type Dec = Decimal;

export const HUNDRED = new Dec(100);

const parsed = new Map<string | number, Dec>();
const PARSED_LIMIT = 8192;

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
// Beyond this an exponent is a typo or an attack: "1e999999999" is finite, but writing it out
// in plain notation would take a gigabyte.
const MAX_EXPONENT = 1000;

/**
 * Returns the exact decimal written in `text`, or undefined when the text is not a finite
 * decimal number of sane magnitude ("NaN", "Infinity", "", "abc", "1e99999"). Never throws.
 */
export function parseDecimal(text: string | number): Dec | undefined {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  const s = typeof text === 'number' ? (Number.isFinite(text) ? String(text) : '') : text.trim();
  if (!DECIMAL_TEXT.test(s)) return undefined;
  const value = new Dec(s);
  if (Math.abs(value.e) > MAX_EXPONENT) return undefined;
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(text, value);
  return value;
}

/**
 * Returns the decimal for text (or a safe integer) that validation has already accepted; throws
 * on anything else. Rules see the same few strings (entry, tick size, policy values, recent
 * prices) on every tick, and decimals are immutable, so parsed values are shared from a small
 * cache: parsing was the largest single cost of a step.
 */
export function dec(text: DecimalString | number): Dec {
  let value = parsed.get(text);
  if (value === undefined) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    value = new Dec(text);
    parsed.set(text, value);
  }
  return value;
}

/**
 * Returns `value` on a multiple of `tickSize`, rounded toward the market: up for a long's stop,
 * down for a short's, so the stop is never looser than the policy asks.
 */
export function roundStop(value: Dec, tickSize: Dec, side: Side): Dec {
  return value.toNearest(tickSize, side === 'long' ? Dec.ROUND_CEIL : Dec.ROUND_FLOOR);
}
