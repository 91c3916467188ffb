import { z } from 'zod';
import { Decimal } from 'decimal.js';
import type {
  ActivationPolicy,
  BigJumpPolicy,
  BreakevenPolicy,
  Distance,
  ElasticPolicy,
  InitialStopPolicy,
  MomentumPolicy,
  PeakLockPolicy,
  Policy,
  Tier,
  TrailingPolicy,
} from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

type Ctx = Parameters<Parameters<z.ZodType['transform']>[0]>[1];

const positive = decimal({ gt: '0' });
const nonNegative = decimal({ ge: '0' });
const anyDecimal = decimal();
const positiveInteger = decimal({ gt: '0', integer: true });

const DISTANCE_KEYS = ['percent', 'price', 'ticks'] as const;

const distanceShape = {
  percent: positive.optional(),
  price: positive.optional(),
  ticks: positiveInteger.optional(),
};

interface DistanceFields {
  readonly percent?: string | undefined;
  readonly price?: string | undefined;
  readonly ticks?: string | undefined;
}

/** Returns the one distance given, or refuses when none or several of `keys` are set. */
function exactlyOne<K extends 'percent' | 'price' | 'ticks'>(
  fields: Readonly<Partial<Record<K, string | undefined>>>,
  keys: readonly K[],
  input: unknown,
  ctx: Ctx,
): { key: K; value: string } | undefined {
  const given = keys.filter((k) => fields[k] !== undefined);
  const allowed = `exactly one of ${keys.join(', ')}`;
  if (given.length !== 1) {
    refuse(ctx, input, {
      problem:
        given.length === 0
          ? `has none of ${keys.join(', ')}; exactly one is required`
          : `has ${given.join(' and ')}; ${allowed} is allowed`,
      allowed,
      value: given.length === 0 ? '{ }' : `{ ${given.join(', ')} }`,
    });
    return undefined;
  }
  const key = given[0] as K;
  return { key, value: fields[key] as string };
}

function toDistance(fields: DistanceFields, input: unknown, ctx: Ctx): Distance | undefined {
  const one = exactlyOne(fields, DISTANCE_KEYS, input, ctx);
  if (one === undefined) return undefined;
  return { [one.key]: one.value } as unknown as Distance;
}

/** Schema of `policy.initialStop`: exactly one of `percent` (> 0) or `price` (> 0). */
export const initialStopSchema = strictObject({
  percent: positive.optional(),
  price: positive.optional(),
}).transform((o, ctx): InitialStopPolicy => {
  const one = exactlyOne(o, ['percent', 'price'] as const, o, ctx);
  if (one === undefined) return z.NEVER;
  return one.key === 'percent' ? { percent: one.value } : { price: one.value };
});

/** Schema of `policy.activation`: at least one condition that can hold; minProfitPercent needs afterSeconds. */
export const activationSchema = strictObject({
  immediate: z.boolean().optional(),
  price: positive.optional(),
  profitPercent: anyDecimal.optional(),
  afterSeconds: nonNegative.optional(),
  minProfitPercent: anyDecimal.optional(),
}).transform((o, ctx): ActivationPolicy => {
  let ok = true;
  if (o.minProfitPercent !== undefined && o.afterSeconds === undefined) {
    refuse(
      ctx,
      o.minProfitPercent,
      { problem: 'is only allowed together with afterSeconds', allowed: 'only with afterSeconds' },
      ['minProfitPercent'],
    );
    ok = false;
  }
  if (
    o.immediate !== true &&
    o.price === undefined &&
    o.profitPercent === undefined &&
    o.afterSeconds === undefined
  ) {
    refuse(ctx, o, {
      problem:
        'has no condition that can ever hold; give immediate: true or at least one of price, profitPercent, afterSeconds (or leave activation out to activate at once)',
      allowed: 'immediate: true, or at least one of price, profitPercent, afterSeconds',
      value: o.immediate === false ? '{ immediate: false }' : '{ }',
    });
    ok = false;
  }
  if (!ok) return z.NEVER;
  const out: { -readonly [K in keyof ActivationPolicy]: ActivationPolicy[K] } = {};
  if (o.immediate !== undefined) out.immediate = o.immediate;
  if (o.price !== undefined) out.price = o.price;
  if (o.profitPercent !== undefined) out.profitPercent = o.profitPercent;
  if (o.afterSeconds !== undefined) out.afterSeconds = o.afterSeconds;
  if (o.minProfitPercent !== undefined) out.minProfitPercent = o.minProfitPercent;
  return out;
});

/** Schema of one `policy.trailing.tiers[i]`: `fromProfitPercent` (>= 0) and exactly one distance. */
export const tierSchema = strictObject({
  fromProfitPercent: nonNegative,
  ...distanceShape,
}).transform((o, ctx): Tier => {
  const distance = toDistance(o, o, ctx);
  if (distance === undefined) return z.NEVER;
  return { fromProfitPercent: o.fromProfitPercent, ...distance };
});

/** Schema of `policy.trailing.tiers`: a list of tiers strictly ascending by `fromProfitPercent`. */
export const tiersSchema = z.array(tierSchema).transform((tiers, ctx): readonly Tier[] => {
  let ok = true;
  tiers.forEach((tier, i) => {
    const previous = i > 0 ? tiers[i - 1] : undefined;
    if (
      previous !== undefined &&
      !new Decimal(tier.fromProfitPercent).gt(previous.fromProfitPercent)
    ) {
      refuse(
        ctx,
        tier.fromProfitPercent,
        {
          problem: `is not greater than the previous tier's ${previous.fromProfitPercent} (tiers must be strictly ascending)`,
          allowed: `> ${previous.fromProfitPercent}`,
        },
        [i, 'fromProfitPercent'],
      );
      ok = false;
    }
  });
  return ok ? tiers : z.NEVER;
});

/** Schema of `policy.trailing.momentum`: factor in (0, 1], releasePercent < thresholdPercent. */
export const momentumSchema = strictObject({
  windowSeconds: positive,
  thresholdPercent: positive,
  releasePercent: anyDecimal,
  factor: decimal({ gt: '0', le: '1' }),
}).transform((o, ctx): MomentumPolicy => {
  if (!new Decimal(o.releasePercent).lt(o.thresholdPercent)) {
    refuse(
      ctx,
      o.releasePercent,
      {
        problem: `is not < thresholdPercent (${o.thresholdPercent})`,
        allowed: `< thresholdPercent (${o.thresholdPercent})`,
      },
      ['releasePercent'],
    );
    return z.NEVER;
  }
  return { ...o };
});

/** Schema of `policy.trailing`: exactly one distance, optional tiers and momentum. */
export const trailingSchema = strictObject({
  ...distanceShape,
  tiers: tiersSchema.optional(),
  momentum: momentumSchema.optional(),
}).transform((o, ctx): TrailingPolicy => {
  const distance = toDistance(o, o, ctx);
  if (distance === undefined) return z.NEVER;
  return {
    ...distance,
    ...(o.tiers !== undefined ? { tiers: o.tiers } : {}),
    ...(o.momentum !== undefined ? { momentum: o.momentum } : {}),
  };
});

/**
 * Schema of `policy.breakeven`: triggerPercent > 0, -100 < offsetPercent (default 0) < triggerPercent.
 * A negative offset is a stop just short of entry (a smaller loss), which the SPEC's formula
 * allows; below -100 % a long's stop would not be a price.
 */
export const breakevenSchema = strictObject({
  triggerPercent: positive,
  offsetPercent: decimal({ gt: '-100' }).optional(),
}).transform((o, ctx): BreakevenPolicy => {
  const offsetPercent = o.offsetPercent ?? '0';
  if (!new Decimal(offsetPercent).lt(o.triggerPercent)) {
    refuse(
      ctx,
      o.offsetPercent,
      {
        problem: `is not < triggerPercent (${o.triggerPercent})`,
        allowed: `< triggerPercent (${o.triggerPercent})`,
      },
      ['offsetPercent'],
    );
    return z.NEVER;
  }
  return { triggerPercent: o.triggerPercent, offsetPercent };
});

/** Schema of `policy.elastic.bigJump`: threshold > 0, windowSeconds > 0, 0 <= margin < threshold. */
export const bigJumpSchema = strictObject({
  threshold: positive,
  windowSeconds: positive,
  margin: nonNegative,
}).transform((o, ctx): BigJumpPolicy => {
  if (!new Decimal(o.margin).lt(o.threshold)) {
    refuse(
      ctx,
      o.margin,
      { problem: `is not < threshold (${o.threshold})`, allowed: `< threshold (${o.threshold})` },
      ['margin'],
    );
    return z.NEVER;
  }
  return { ...o };
});

/** Schema of `policy.elastic.peakLock`: trigger > 0, 0 <= lock < trigger. */
export const peakLockSchema = strictObject({
  trigger: positive,
  lock: nonNegative,
}).transform((o, ctx): PeakLockPolicy => {
  if (!new Decimal(o.lock).lt(o.trigger)) {
    refuse(
      ctx,
      o.lock,
      { problem: `is not < trigger (${o.trigger})`, allowed: `< trigger (${o.trigger})` },
      ['lock'],
    );
    return z.NEVER;
  }
  return { ...o };
});

/** Schema of `policy.elastic` (SETE): unit, engageAt >= 0, pullback in (0, 1), floor and minStep >= 0 (default 0). */
export const elasticSchema = strictObject({
  unit: z.enum(['quote', 'percent']),
  engageAt: nonNegative,
  pullback: decimal({ gt: '0', lt: '1' }),
  floor: nonNegative.optional(),
  minStep: nonNegative.optional(),
  bigJump: bigJumpSchema.optional(),
  peakLock: peakLockSchema.optional(),
}).transform((o): ElasticPolicy => ({
  unit: o.unit,
  engageAt: o.engageAt,
  pullback: o.pullback,
  floor: o.floor ?? '0',
  minStep: o.minStep ?? '0',
  ...(o.bigJump !== undefined ? { bigJump: o.bigJump } : {}),
  ...(o.peakLock !== undefined ? { peakLock: o.peakLock } : {}),
}));

/**
 * Schema of a policy: `initialStop` is required, every other block optional. Outputs the
 * domain {@link Policy} with defaults filled in. Checks that need the position's side
 * (see `checkPolicyForPosition`) are not made here.
 */
export const policySchema = strictObject({
  initialStop: initialStopSchema,
  activation: activationSchema.optional(),
  trailing: trailingSchema.optional(),
  breakeven: breakevenSchema.optional(),
  elastic: elasticSchema.optional(),
}).transform((o): Policy => ({
  initialStop: o.initialStop,
  ...(o.activation !== undefined ? { activation: o.activation } : {}),
  ...(o.trailing !== undefined ? { trailing: o.trailing } : {}),
  ...(o.breakeven !== undefined ? { breakeven: o.breakeven } : {}),
  ...(o.elastic !== undefined ? { elastic: o.elastic } : {}),
}));
