/**
 * The unit every stream in this folder carries: one observed price of one symbol.
 *
 * Prices stay decimal text from the exchange to the actor. A binary float would make
 * "100.1 crosses a stop at 100.1" depend on rounding noise, so every comparison here goes
 * through decimal.js and the text itself is what reaches the actor.
 */
import type { Decimal } from 'decimal.js';

import { parseDecimal } from '../domain/money.ts';
import type { Millis, RejectReason } from '../domain/types.ts';

/** One price observation of one symbol; `price` is the text as received and may be invalid. */
export interface PriceTick {
  readonly symbol: string;
  readonly ts: Millis;
  readonly price: string;
}

/** A tick that validation refused, with the SPEC's reason (step 0). */
export interface TickRejection {
  readonly symbol: string;
  readonly ts: Millis;
  readonly price: string;
  readonly why: RejectReason;
}

/**
 * Returns the exact value of a price text, or undefined when the text is not a finite
 * decimal number (e.g. "NaN", "Infinity", "0x10", "", "1,5"). Never throws.
 */
export function parsePrice(text: string): Decimal | undefined {
  return parseDecimal(text);
}

/**
 * Returns the decimal text of a number an exchange library handed over as a JS number.
 *
 * ccxt parses prices into numbers; `String(n)` is the shortest text that reads back as the
 * same double, which is the exchange's own text for any price with ≤ 15 significant digits.
 * Non-finite numbers and missing values become text that validation rejects as "not a number"
 * rather than being dropped here, so they are still counted.
 */
export function priceText(value: number | string | null | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return 'NaN';
}

// Stream code decides "crossed" with the position statechart's own rule.
export { crossesStop } from '../domain/crossing.ts';
