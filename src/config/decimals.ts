import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { numericText } from './numberText.ts';
import { refuse } from './issues.ts';
import { parseDecimal as parseDomainDecimal } from '../domain/money.ts';

/** Limits on a decimal value; bounds are decimal strings so they compare exactly. */
export interface Bounds {
  readonly gt?: string;
  readonly ge?: string;
  readonly lt?: string;
  readonly le?: string;
  /** The value must be a whole number. */
  readonly integer?: boolean;
}

const PLAIN = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** Returns the exact value of a decimal literal ("1.77E+3", "-0.5", "42"), or undefined if it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  // The engine's own parser: configuration accepts exactly the numbers the rules can use.
  return text.trim() === text ? parseDomainDecimal(text) : undefined;
}

/** Returns the decimal literal in plain notation: kept verbatim when already plain ("27.50"), else expanded ("1.77E+3" → "1770"). */
export function normalizeDecimal(text: string): string {
  if (PLAIN.test(text)) return text;
  const value = parseDecimal(text);
  if (value === undefined) throw new RangeError(`not a decimal: ${text}`);
  return value.toFixed();
}

/** Returns how bounds read in a message: "in (0, 1]", "> 0", ">= 0", "a positive integer". */
export function describeBounds(bounds: Bounds): string {
  const low = bounds.gt ?? bounds.ge;
  const high = bounds.lt ?? bounds.le;
  if (bounds.integer === true && bounds.gt === '0' && high === undefined)
    return 'a positive integer';
  let range: string;
  if (low !== undefined && high !== undefined) {
    range = `in ${bounds.gt !== undefined ? '(' : '['}${low}, ${high}${bounds.lt !== undefined ? ')' : ']'}`;
  } else if (low !== undefined) {
    range = `${bounds.gt !== undefined ? '>' : '>='} ${low}`;
  } else if (high !== undefined) {
    range = `${bounds.lt !== undefined ? '<' : '<='} ${high}`;
  } else {
    range = 'a decimal number';
  }
  return bounds.integer === true ? `an integer ${range}` : range;
}

/** Returns true when the value satisfies every bound. */
export function withinBounds(value: Decimal, bounds: Bounds): boolean {
  if (bounds.gt !== undefined && !value.gt(bounds.gt)) return false;
  if (bounds.ge !== undefined && !value.gte(bounds.ge)) return false;
  if (bounds.lt !== undefined && !value.lt(bounds.lt)) return false;
  if (bounds.le !== undefined && !value.lte(bounds.le)) return false;
  if (bounds.integer === true && !value.isInteger()) return false;
  return true;
}

const NOT_A_DECIMAL = 'a decimal number, e.g. 0.5 or "0.5"';

/**
 * Returns a schema that accepts a JSON number or a decimal string within `bounds` and outputs
 * it as a plain decimal string; a missing value, a non-number and an out-of-bounds value are
 * refused with the bounds in the message.
 */
export function decimal(bounds: Bounds = {}) {
  return z.unknown().transform((input, ctx): string => {
    const allowed = describeBounds(bounds);
    if (input === undefined) {
      refuse(ctx, input, {
        problem: 'is required',
        allowed: allowed === 'a decimal number' ? NOT_A_DECIMAL : allowed,
      });
      return z.NEVER;
    }
    const text = numericText(input);
    const value = text === undefined ? undefined : parseDecimal(text);
    if (text === undefined || value === undefined) {
      refuse(ctx, input, { problem: `is not ${NOT_A_DECIMAL}`, allowed: NOT_A_DECIMAL });
      return z.NEVER;
    }
    if (!withinBounds(value, bounds)) {
      refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
      return z.NEVER;
    }
    return normalizeDecimal(text);
  });
}

/**
 * Returns a schema for a millisecond timestamp: a whole number (JSON number or string) that is
 * a safe JS integer, output as a number.
 */
export function integerMillis() {
  return z.unknown().transform((input, ctx): number => {
    const millis = millisOf(input);
    if (millis === undefined) {
      refuse(ctx, input, {
        problem: input === undefined ? 'is required' : `is not ${MILLIS}`,
        allowed: MILLIS,
      });
      return z.NEVER;
    }
    return millis;
  });
}

/** What a timestamp must be, as messages say it. */
export const MILLIS = 'an integer (milliseconds)';

const PLAIN_MILLIS = /^-?\d{1,15}$/;

/** Returns the value as a safe integer (from a JSON number or an integer string), or undefined. */
export function millisOf(input: unknown): number | undefined {
  const text = numericText(input);
  // Nearly every timestamp is a plain integer literal, exact as a JS number: no decimal parse.
  if (text !== undefined && PLAIN_MILLIS.test(text)) return Number(text) + 0;
  const value = text === undefined ? undefined : parseDecimal(text);
  if (value === undefined || !value.isInteger() || !Number.isSafeInteger(value.toNumber()))
    return undefined;
  // toNumber of "-0" is -0; a timestamp has no sign of zero.
  return value.toNumber() + 0;
}
