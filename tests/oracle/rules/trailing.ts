import { Dec, HUNDRED, roundStop, towardLoss, dec } from './money.ts';
import { scaledPercent } from './profit.ts';
import type { Distance, Side, TrailingPolicy } from '../../../src/domain/types.ts';

/** A distance resolved for one tick: its kind and its (possibly accelerated) size. */
interface ResolvedDistance {
  readonly kind: 'percent' | 'price' | 'ticks';
  readonly size: Dec;
}

function resolve(distance: Distance): ResolvedDistance {
  if ('percent' in distance) return { kind: 'percent', size: dec(distance.percent) };
  if ('price' in distance) return { kind: 'price', size: dec(distance.price) };
  return { kind: 'ticks', size: dec(distance.ticks) };
}

/**
 * Returns the distance in force: the base distance, replaced by the last tier whose
 * fromProfitPercent ≤ peak profit % (`peakPrice` is the most favourable accepted price),
 * times the momentum factor while accelerated.
 */
export function activeDistance(
  policy: TrailingPolicy,
  peakPrice: Dec,
  entry: Dec,
  side: Side,
  accelerated: boolean,
): ResolvedDistance {
  let chosen: Distance = policy;
  const peakScaled = scaledPercent(peakPrice, entry, side);
  for (const tier of policy.tiers ?? []) {
    if (peakScaled.gte(dec(tier.fromProfitPercent).times(entry))) chosen = tier;
  }
  const resolved = resolve(chosen);
  if (accelerated && policy.momentum !== undefined) {
    return { kind: resolved.kind, size: resolved.size.times(dec(policy.momentum.factor)) };
  }
  return resolved;
}

/**
 * Returns the trailing candidate `distance` behind `extreme` (below for a long, above for a
 * short), rounded toward the market.
 */
export function trailingStop(
  distance: ResolvedDistance,
  extreme: Dec,
  side: Side,
  tickSize: Dec,
): Dec {
  const gap =
    distance.kind === 'percent'
      ? extreme.times(distance.size).div(HUNDRED)
      : distance.kind === 'price'
        ? distance.size
        : distance.size.times(tickSize);
  return roundStop(towardLoss(extreme, gap, side), tickSize, side);
}
