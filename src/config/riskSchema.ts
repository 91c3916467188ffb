import { z } from 'zod';
import type { DecimalString } from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** What the drawdown breaker does when it trips. */
export type RiskAction = 'pause' | 'flatten';

/** The validated `risk` block: the drawdown breaker. */
export interface RiskConfig {
  /** Trips when equity falls this far below its peak within the window, in percent. */
  readonly maxDrawdownPercent: DecimalString;
  /** How far back the peak is looked for, in ms. */
  readonly windowMs: number;
  /** pause: stop moving stops (they stay resting); flatten: close every position, then pause. */
  readonly action: RiskAction;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: HOUR, d: DAY };
const MIN_WINDOW_MS = MINUTE;
// Equity history older than a month says little about today's risk.
const MAX_WINDOW_MS = 30 * DAY;

const windowSchema = z.unknown().transform((input, ctx): number => {
  const allowed = 'a duration from 1m to 30d: a whole number followed by m, h or d, e.g. 24h';
  const match = typeof input === 'string' ? /^(\d{1,6})(m|h|d)$/.exec(input) : null;
  const ms = match === null ? undefined : Number(match[1]) * (UNIT_MS[match[2] as string] ?? 0);
  if (ms === undefined || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) {
    refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
    return z.NEVER;
  }
  return ms;
});

/**
 * Schema of `risk`: `maxDrawdownPercent` in (0, 100] (required), `window` a duration from 1m to
 * 30d (default 24h), `action` pause (default) or flatten.
 */
export const riskSchema = strictObject({
  maxDrawdownPercent: decimal({ gt: '0', le: '100' }),
  window: windowSchema.optional(),
  action: z.enum(['pause', 'flatten']).optional(),
}).transform((o): RiskConfig => ({
  maxDrawdownPercent: o.maxDrawdownPercent,
  windowMs: o.window ?? 24 * HOUR,
  action: o.action ?? 'pause',
}));
