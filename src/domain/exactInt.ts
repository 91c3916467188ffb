import { dec } from './money.ts';
import type { DecimalString } from './types.ts';

/**
 * Exact integer arithmetic for the rules. Products of two prices, or of a price and a policy
 * constant, can pass 2^53, where JS numbers stop being exact; these helpers use numbers while
 * every intermediate value provably stays below 2^53 and BigInt beyond, so results are always
 * exact and the common case allocates nothing.
 */

// A float product or sum below this bound is exact, and so is a quotient's correction step.
const EXACT = 2 ** 52;

/** Returns ⌈n / d⌉ for BigInts, d > 0. */
export function ceilDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

/** Returns ⌊n / d⌋ for BigInts, d > 0. */
export function floorDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** Returns ⌊n / d⌋ for exact integers |n| < 2^52, 0 < d < 2^52. */
function floorDivSmall(n: number, d: number): number {
  // The float quotient is within one of the true one; the remainder says which way.
  let q = Math.floor(n / d);
  const r = n - q * d;
  if (r < 0) q--;
  else if (r >= d) q++;
  return q;
}

/**
 * Returns ⌈(x·a + b) / c⌉ exactly, for integers with c > 0: the one shape every stop candidate
 * takes before it is put on the tick grid. The result must be a safe integer (it is a price).
 */
export function linearCeil(x: number, a: number, b: number, c: number): number {
  const p = x * a;
  if (p > -EXACT && p < EXACT && b > -EXACT && b < EXACT && c < EXACT) {
    const n = p + b;
    if (n > -EXACT && n < EXACT) return 0 - floorDivSmall(-n, c);
  }
  return Number(ceilDivBig(BigInt(x) * BigInt(a) + BigInt(b), BigInt(c)));
}

/** Returns true when a·b ≥ c·d, exactly, for integers. */
export function productAtLeast(a: number, b: number, c: number, d: number): boolean {
  const left = a * b;
  const right = c * d;
  if (left > -EXACT && left < EXACT && right > -EXACT && right < EXACT) return left >= right;
  return BigInt(a) * BigInt(b) >= BigInt(c) * BigInt(d);
}

/** An exact decimal as an integer over a power of ten: value = n / 10^places. */
export interface Fraction {
  readonly n: bigint;
  readonly places: number;
}

/** Returns the exact fraction of decimal text that validation has accepted ("2.5" → 25 / 10^1). */
export function fractionOf(text: DecimalString | number): Fraction {
  const value = dec(text);
  const places = value.decimalPlaces();
  // toFixed() writes exactly `places` decimals, so the digits without the point are n.
  return { n: BigInt(value.toFixed().replace('.', '')), places };
}

/** Returns n / 10^places as plain decimal text, as decimal.js's `toFixed()` writes it. */
export function fractionText(n: bigint, places: number): string {
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString();
  if (places > 0) {
    if (digits.length <= places) digits = '0'.repeat(places - digits.length + 1) + digits;
    const point = digits.length - places;
    let end = digits.length;
    while (end > point && digits.charCodeAt(end - 1) === 48) end--;
    digits =
      end === point
        ? digits.slice(0, point)
        : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** Returns 10^n as a BigInt. */
export function pow10Big(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Returns `n` as a number when it is within ±limit, else ±Infinity (a threshold no price reaches). */
export function boundedNumber(n: bigint, limit: number): number {
  const value = Number(n);
  if (value > limit) return Number.POSITIVE_INFINITY;
  if (value < -limit) return Number.NEGATIVE_INFINITY;
  return value;
}
