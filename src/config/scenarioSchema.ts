import { z } from 'zod';
import type { Scenario, Tick } from '../domain/types.ts';
import { policyRefusals } from './checkPolicyForPosition.ts';
import { refuse } from './issues.ts';
import { marketSchema } from './marketSchema.ts';
import { policySchema } from './policySchema.ts';
import { positionSchema } from './positionSchema.ts';
import { strictObject } from './strictObject.ts';
import { candlePathSchema, candlesSchema, expandCandles, ticksSchema } from './ticksSchema.ts';

/**
 * Schema of a scenario document (the input of `ratchet replay`): market, position, policy and
 * exactly one of `ticks` or `candles` (+ optional `candlePath`). Outputs the domain
 * {@link Scenario}, candles expanded to ticks, after the checks that need the position's side.
 */
export const scenarioSchema = strictObject({
  market: marketSchema,
  position: positionSchema,
  policy: policySchema,
  ticks: ticksSchema.optional(),
  candles: candlesSchema.optional(),
  candlePath: candlePathSchema.optional(),
}).transform((o, ctx): Scenario => {
  let ticks: readonly Tick[] | undefined;
  if (o.ticks !== undefined && o.candles !== undefined) {
    refuse(ctx, o, {
      problem: 'has both ticks and candles; exactly one of them is allowed',
      allowed: 'exactly one of ticks, candles',
      value: '{ ticks, candles }',
    });
  } else if (o.ticks === undefined && o.candles === undefined) {
    refuse(ctx, o, {
      problem: 'has neither ticks nor candles; exactly one of them is required',
      allowed: 'exactly one of ticks, candles',
      value: '{ }',
    });
  } else if (o.candles !== undefined) {
    ticks = expandCandles(o.candles, o.candlePath ?? 'auto');
  } else if (o.candlePath !== undefined) {
    refuse(
      ctx,
      o.candlePath,
      { problem: 'is only allowed with candles (these are ticks)', allowed: 'only with candles' },
      ['candlePath'],
    );
  } else {
    ticks = o.ticks;
  }
  for (const refusal of policyRefusals(o.policy, o.position)) {
    refuse(ctx, refusal.params.value, refusal.params, ['policy', ...refusal.path]);
  }
  if (ticks === undefined || ctx.issues.length > 0) return z.NEVER;
  return { market: o.market, position: o.position, policy: o.policy, ticks };
});
