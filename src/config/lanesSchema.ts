import { z } from 'zod';
import type { DecimalString } from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** The profit from which a position rides the fast lane: in quote currency or in percent of entry. */
export type FastWhenProfitConfig =
  { readonly quote: DecimalString } | { readonly percent: DecimalString };

/** Exponential backoff between WebSocket reconnects: initialMs × factor^(attempt−1), capped at maxMs. */
export interface BackoffConfig {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/**
 * The validated `lanes` block: the price streams of `src/streams` (lanes, fallback, polling,
 * CLOCK), with the names and defaults of their `StreamConfig`.
 */
export interface LanesConfig {
  /** Fast lane window; 0 passes every tick through. */
  readonly fastMs: number;
  /** Normal lane window; 0 passes every tick through. */
  readonly normalMs: number;
  readonly fastWhenProfit: FastWhenProfitConfig;
  /** Fast windows in a row below the threshold before a position goes back to normal. */
  readonly downgradeAfterCycles: number;
  /** A price older than this is stale. */
  readonly maxPriceAgeMs: number;
  readonly backoff: BackoffConfig;
  readonly priceSource: 'trades' | 'ticker' | 'markPrice';
  readonly pollIntervalMs: number;
  readonly clockPeriodMs: number;
}

/** The defaults of every `lanes` key (those of `src/streams`' StreamConfig). */
export const LANES_DEFAULTS: LanesConfig = {
  fastMs: 300,
  normalMs: 3000,
  fastWhenProfit: { percent: '0' },
  downgradeAfterCycles: 3,
  maxPriceAgeMs: 5000,
  backoff: { initialMs: 500, maxMs: 30_000, factor: 2 },
  priceSource: 'trades',
  pollIntervalMs: 1000,
  clockPeriodMs: 1000,
};

// Node's timers overflow past 2^31 − 1 ms and fire at once.
const MAX_TIMER_MS = '2147483647';

const wholeNumber = (min: number, max = MAX_TIMER_MS) =>
  decimal({ ge: String(min), le: max, integer: true })
    .transform(Number)
    .optional();

const fastWhenProfitSchema = strictObject({
  quote: decimal().optional(),
  percent: decimal().optional(),
}).transform((o, ctx): FastWhenProfitConfig => {
  if (o.quote !== undefined && o.percent === undefined) return { quote: o.quote };
  if (o.percent !== undefined && o.quote === undefined) return { percent: o.percent };
  refuse(ctx, o, {
    problem: `has ${o.quote === undefined ? 'none' : 'both'} of quote, percent; allowed: exactly one, e.g. { quote: "0.10" } or { percent: 0.5 }`,
    allowed: 'exactly one of quote, percent',
    value: o.quote === undefined ? '{ }' : '{ quote, percent }',
  });
  return z.NEVER;
});

const backoffSchema = strictObject({
  initialMs: wholeNumber(1),
  maxMs: wholeNumber(1),
  factor: decimal({ ge: '1', le: '100' }).transform(Number).optional(),
}).transform((o, ctx): BackoffConfig => {
  const out: BackoffConfig = {
    initialMs: o.initialMs ?? LANES_DEFAULTS.backoff.initialMs,
    maxMs: o.maxMs ?? LANES_DEFAULTS.backoff.maxMs,
    factor: o.factor ?? LANES_DEFAULTS.backoff.factor,
  };
  if (out.maxMs < out.initialMs) {
    refuse(
      ctx,
      out.maxMs,
      {
        problem: `is below initialMs (${out.initialMs}); allowed: >= initialMs`,
        allowed: `>= initialMs (${out.initialMs})`,
        ...(o.maxMs === undefined ? { value: `${out.maxMs} (the default)` } : {}),
      },
      ['maxMs'],
    );
    return z.NEVER;
  }
  return out;
});

/**
 * Schema of `lanes`: every key optional, defaults as in docs/lanes.md; windows and periods are
 * whole milliseconds, and the fast window may not be longer than the normal one.
 */
export const lanesSchema = strictObject({
  fastMs: wholeNumber(0),
  normalMs: wholeNumber(0),
  fastWhenProfit: fastWhenProfitSchema.optional(),
  downgradeAfterCycles: wholeNumber(1, '1000000'),
  maxPriceAgeMs: wholeNumber(1),
  backoff: backoffSchema.optional(),
  priceSource: z.enum(['trades', 'ticker', 'markPrice']).optional(),
  pollIntervalMs: wholeNumber(1),
  clockPeriodMs: wholeNumber(1),
}).transform((o, ctx): LanesConfig => {
  const out: LanesConfig = {
    fastMs: o.fastMs ?? LANES_DEFAULTS.fastMs,
    normalMs: o.normalMs ?? LANES_DEFAULTS.normalMs,
    fastWhenProfit: o.fastWhenProfit ?? LANES_DEFAULTS.fastWhenProfit,
    downgradeAfterCycles: o.downgradeAfterCycles ?? LANES_DEFAULTS.downgradeAfterCycles,
    maxPriceAgeMs: o.maxPriceAgeMs ?? LANES_DEFAULTS.maxPriceAgeMs,
    backoff: o.backoff ?? LANES_DEFAULTS.backoff,
    priceSource: o.priceSource ?? LANES_DEFAULTS.priceSource,
    pollIntervalMs: o.pollIntervalMs ?? LANES_DEFAULTS.pollIntervalMs,
    clockPeriodMs: o.clockPeriodMs ?? LANES_DEFAULTS.clockPeriodMs,
  };
  if (out.fastMs > out.normalMs) {
    refuse(
      ctx,
      out.fastMs,
      {
        problem: `is above normalMs (${out.normalMs}), which would make the fast lane the slower one; allowed: <= normalMs`,
        allowed: `<= normalMs (${out.normalMs})`,
        ...(o.fastMs === undefined ? { value: `${out.fastMs} (the default)` } : {}),
      },
      ['fastMs'],
    );
    return z.NEVER;
  }
  return out;
});
