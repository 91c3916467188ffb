/**
 * The engine's `streams` configuration: lanes, fallback, polling and the CLOCK.
 *
 * It is a zod schema so the config layer (src/config) can embed it under its `streams` key;
 * `parseStreamConfig` is for callers that hold only this block. A bad value stops the program
 * before it starts, with one paragraph that names the key, the value and what is allowed.
 */
import { z } from 'zod';

import { parsePrice } from './priceTick.ts';

/** A decimal given as text or as a JSON number; kept as text so no float reaches a decision. */
const decimalText = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v))
  .refine((v) => parsePrice(v) !== undefined, { message: 'must be a finite decimal number' });

const millis = (min: number, fallback: number) =>
  z
    .number()
    .int({ message: `must be a whole number of milliseconds ≥ ${min}` })
    .min(min, {
      message: `must be a whole number of milliseconds ≥ ${min}`,
    })
    .default(fallback);

/** Exponential backoff between WebSocket reconnects: initialMs × factor^(attempt−1), capped at maxMs. */
export const backoffSchema = z
  .object({
    initialMs: millis(1, 500),
    maxMs: millis(1, 30_000),
    factor: z
      .number()
      .min(1, { message: 'must be ≥ 1 (a smaller factor would shrink the delay)' })
      .default(2),
  })
  .strict()
  .refine((b) => b.maxMs >= b.initialMs, { message: 'maxMs must be ≥ initialMs', path: ['maxMs'] });

/** The profit from which a position rides the fast lane, in quote currency or in percent of entry. */
export const fastWhenProfitSchema = z.union(
  [z.object({ quote: decimalText }).strict(), z.object({ percent: decimalText }).strict()],
  { error: 'must be { quote: <decimal> } or { percent: <decimal> }' },
);

/** Schema of the `streams` block; every key is optional and defaults as documented in docs/lanes.md. */
export const streamConfigSchema = z
  .object({
    /** Fast lane window; 0 passes every tick through. */
    fastMs: millis(0, 300),
    /** Normal lane window; 0 passes every tick through. */
    normalMs: millis(0, 3000),
    fastWhenProfit: fastWhenProfitSchema.default({ percent: '0' }),
    downgradeAfterCycles: z
      .number()
      .int()
      .min(1, { message: 'must be a whole number ≥ 1' })
      .default(3),
    maxPriceAgeMs: millis(1, 5000),
    backoff: backoffSchema.prefault({}),
    priceSource: z.enum(['trades', 'ticker', 'markPrice']).default('trades'),
    pollIntervalMs: millis(1, 1000),
    clockPeriodMs: millis(1, 1000),
  })
  .strict()
  .refine((c) => c.fastMs <= c.normalMs, {
    message: 'fastMs must be ≤ normalMs (a fast lane slower than the normal one would invert them)',
    path: ['fastMs'],
  });

/** The validated `streams` block, defaults filled in. */
export type StreamConfig = z.output<typeof streamConfigSchema>;
/** What a user may write in the `streams` block. */
export type StreamConfigInput = z.input<typeof streamConfigSchema>;
/** Backoff settings after defaults. */
export type BackoffConfig = z.output<typeof backoffSchema>;
/** The fast-lane threshold after validation. */
export type FastWhenProfit = z.output<typeof fastWhenProfitSchema>;

/** Thrown by {@link parseStreamConfig}; `message` is the whole readable paragraph. */
export class StreamConfigError extends Error {
  override readonly name = 'StreamConfigError';
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  try {
    return JSON.stringify(value);
  } catch {
    // Cycles and BigInts cannot be shown as JSON; the key still names the culprit.
    return '(unprintable value)';
  }
}

/**
 * Returns the validated config with defaults filled in. Throws {@link StreamConfigError} whose
 * message names every offending key under `prefix`, its value and what is allowed.
 */
export function parseStreamConfig(input: unknown = {}, prefix = 'streams'): StreamConfig {
  const result = streamConfigSchema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return `${key} has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed are ${Object.keys(streamConfigSchema.shape).join(', ')}`;
    }
    // Cross-field refinements see the whole object; naming that object as the value is noise.
    const wholeObject =
      issue.code === 'custom' && typeof issue.input === 'object' && issue.input !== null;
    const value = wholeObject ? '' : `: ${describe(issue.input)}`;
    return `${key}${value} is not allowed: ${issue.message}`;
  });
  throw new StreamConfigError(`Invalid stream configuration. ${problems.join('; ')}.`);
}
