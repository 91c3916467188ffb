import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { DecimalString } from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** Which price a resting stop watches (Binance's `workingType`). */
export type StopWorkingType = 'MARK_PRICE' | 'CONTRACT_PRICE';

/** The validated `protection` block: when a resting stop may move, and what it watches. */
export interface ProtectionConfig {
  /** Least time between two moves of one position's resting stop. */
  readonly minIntervalSeconds: number;
  /** A move must tighten the resting stop by at least this percent of its price. */
  readonly minImprovementPercent: DecimalString;
  /** An improvement of at least this percent moves at once, interval or not. */
  readonly emergencyPercent: DecimalString;
  readonly workingType: StopWorkingType;
}

/** The defaults of every `protection` key. */
export const PROTECTION_DEFAULTS: ProtectionConfig = {
  minIntervalSeconds: 60,
  minImprovementPercent: '0.1',
  emergencyPercent: '1',
  workingType: 'MARK_PRICE',
};

// A day: a longer interval would leave a trailing stop behind the price for days.
const MAX_INTERVAL_SECONDS = '86400';

const intervalSeconds = decimal({ ge: '0', le: MAX_INTERVAL_SECONDS }).transform(
  (text, ctx): number => {
    // Event times are whole milliseconds, so a finer interval could not be honoured.
    if (!new Decimal(text).times(1000).isInteger()) {
      refuse(ctx, text, {
        problem: 'is finer than a millisecond; allowed: seconds with at most 3 decimals',
        allowed: 'seconds with at most 3 decimals',
      });
      return z.NEVER;
    }
    return Number(text);
  },
);

/**
 * Schema of `protection`: minIntervalSeconds in [0, 86400] (default 60), minImprovementPercent
 * >= 0 (default 0.1), emergencyPercent > 0 and >= minImprovementPercent (default 1), workingType
 * MARK_PRICE (default) or CONTRACT_PRICE.
 */
export const protectionSchema = strictObject({
  minIntervalSeconds: intervalSeconds.optional(),
  minImprovementPercent: decimal({ ge: '0' }).optional(),
  emergencyPercent: decimal({ gt: '0' }).optional(),
  workingType: z.enum(['MARK_PRICE', 'CONTRACT_PRICE']).optional(),
}).transform((o, ctx): ProtectionConfig => {
  const out: ProtectionConfig = {
    minIntervalSeconds: o.minIntervalSeconds ?? PROTECTION_DEFAULTS.minIntervalSeconds,
    minImprovementPercent: o.minImprovementPercent ?? PROTECTION_DEFAULTS.minImprovementPercent,
    emergencyPercent: o.emergencyPercent ?? PROTECTION_DEFAULTS.emergencyPercent,
    workingType: o.workingType ?? PROTECTION_DEFAULTS.workingType,
  };
  if (new Decimal(out.emergencyPercent).lt(out.minImprovementPercent)) {
    refuse(
      ctx,
      out.emergencyPercent,
      {
        problem: `is below minImprovementPercent (${out.minImprovementPercent}), so an emergency move would be smaller than an ordinary one; allowed: >= ${out.minImprovementPercent}`,
        allowed: `>= minImprovementPercent (${out.minImprovementPercent})`,
        ...(o.emergencyPercent === undefined
          ? { value: `${out.emergencyPercent} (the default)` }
          : {}),
      },
      ['emergencyPercent'],
    );
    return z.NEVER;
  }
  return out;
});
