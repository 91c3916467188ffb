import { z } from 'zod';
import type { Tick } from '../domain/types.ts';
import { MILLIS, millisOf, normalizeDecimal, parseDecimal } from './decimals.ts';
import { numericText } from './numberText.ts';
import { refuse } from './issues.ts';

/** One OHLC candle, prices as plain decimal strings. */
export interface Candle {
  readonly ts: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
}

/** The order in which a candle's high and low are assumed to have been visited. */
export type CandlePath = 'auto' | 'highFirst' | 'lowFirst';

/** Schema of `candlePath`. */
export const candlePathSchema = z.enum(['auto', 'highFirst', 'lowFirst']);

/**
 * Schema of one `ticks[i]` entry `[ts, price]`: ts must be an integer, the price is kept as
 * text whatever it says, because refusing bad prices is the step's job (SPEC step 0).
 */
export const tickSchema = z.unknown().transform((input, ctx): Tick => {
  if (!Array.isArray(input) || input.length !== 2) {
    refuse(ctx, input, { problem: 'is not a [ts, price] pair', allowed: '[ts, price]' });
    return z.NEVER;
  }
  const [rawTs, rawPrice] = input as [unknown, unknown];
  const ts = millisOf(rawTs);
  // Whatever the price says is kept — "NaN", "-4", "abc", null, true: the engine rejects it at
  // run time as "not a number" (SPEC step 0) and the replay goes on, so no other tick is lost.
  const price = numericText(rawPrice) ?? JSON.stringify(rawPrice) ?? 'undefined';
  if (ts === undefined) refuse(ctx, rawTs, { problem: `is not ${MILLIS}`, allowed: MILLIS }, [0]);
  if (ts === undefined) return z.NEVER;
  return { ts, price };
});

/** Schema of `ticks`: a list of `[ts, price]`. */
export const ticksSchema = z.array(tickSchema);

const CANDLE_PRICE = 'a decimal price > 0';
const FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * Schema of one `candles[i]` entry `[ts, open, high, low, close]`: unlike tick prices these are
 * structural, so each must be a positive decimal and high/low must bound open and close.
 */
export const candleSchema = z.unknown().transform((input, ctx): Candle => {
  if (!Array.isArray(input) || input.length !== 5) {
    refuse(ctx, input, {
      problem: 'is not a [ts, open, high, low, close] list',
      allowed: '[ts, open, high, low, close]',
    });
    return z.NEVER;
  }
  const raw = input as unknown[];
  const ts = millisOf(raw[0]);
  let ok = true;
  if (ts === undefined) {
    refuse(ctx, raw[0], { problem: `is not ${MILLIS}`, allowed: MILLIS }, [0]);
    ok = false;
  }
  const prices: string[] = [];
  FIELDS.forEach((_field, k) => {
    const text = numericText(raw[k + 1]);
    const value = text === undefined ? undefined : parseDecimal(text);
    if (text === undefined || value === undefined || !value.gt(0)) {
      refuse(ctx, raw[k + 1], { problem: `is not ${CANDLE_PRICE}`, allowed: CANDLE_PRICE }, [
        k + 1,
      ]);
      ok = false;
    } else {
      prices.push(normalizeDecimal(text));
    }
  });
  if (!ok || ts === undefined) return z.NEVER;
  const [open, high, low, close] = prices as [string, string, string, string];
  const top = parseDecimal(high);
  const bottom = parseDecimal(low);
  const o = parseDecimal(open);
  const c = parseDecimal(close);
  if (top === undefined || bottom === undefined || o === undefined || c === undefined)
    return z.NEVER;
  if (top.lt(o) || top.lt(c) || top.lt(bottom)) {
    refuse(
      ctx,
      raw[2],
      { problem: `is below the candle's open, close or low`, allowed: '>= open, close and low' },
      [2],
    );
    return z.NEVER;
  }
  if (bottom.gt(o) || bottom.gt(c)) {
    refuse(
      ctx,
      raw[3],
      { problem: `is above the candle's open or close`, allowed: '<= open and close' },
      [3],
    );
    return z.NEVER;
  }
  if (!Number.isSafeInteger(ts + 3)) {
    refuse(ctx, raw[0], { problem: `is too large to expand to ts .. ts+3`, allowed: MILLIS }, [0]);
    return z.NEVER;
  }
  return { ts, open, high, low, close };
});

/** Schema of `candles`: a list of `[ts, open, high, low, close]`. */
export const candlesSchema = z.array(candleSchema);

/**
 * Returns the four ticks a candle stands for, at ts, ts+1, ts+2, ts+3 (SPEC "Inputs"):
 * `highFirst` open→high→low→close, `lowFirst` open→low→high→close, and `auto` lowFirst for a
 * candle that closed at or above its open, highFirst otherwise.
 */
export function expandCandle(candle: Candle, path: CandlePath = 'auto'): Tick[] {
  const lowFirst =
    path === 'lowFirst' ||
    (path === 'auto' && (parseDecimal(candle.close)?.gte(candle.open) ?? false));
  const order = lowFirst
    ? [candle.open, candle.low, candle.high, candle.close]
    : [candle.open, candle.high, candle.low, candle.close];
  return order.map((price, k) => ({ ts: candle.ts + k, price }));
}

/** Returns the ticks of all candles, in order (see {@link expandCandle}). */
export function expandCandles(candles: readonly Candle[], path: CandlePath = 'auto'): Tick[] {
  return candles.flatMap((candle) => expandCandle(candle, path));
}
