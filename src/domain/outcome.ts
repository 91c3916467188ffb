import { dec } from './money.ts';
import type { PositionEvent, PositionSpec } from './types.ts';

/** What a finished (or still open) replay achieved, for people. */
export interface Outcome {
  /** Every stop the position had, in order: the initial one, then each move. */
  readonly stopPath: readonly string[];
  /** The most favourable accepted price, or null when no tick was accepted. */
  readonly peakPrice: string | null;
  /**
   * Percent of the favourable move (entry → peak) kept at the exit, or locked by the final
   * stop while still open; null when price never moved in the position's favour.
   */
  readonly keptPercent: string | null;
}

/**
 * Returns the stop path and the share of the peak move kept. The share is exact, rounded to
 * two decimals for display only.
 */
export function outcomeOf(
  position: PositionSpec,
  events: readonly PositionEvent[],
  peakPrice: string | null,
  finalStop: string,
): Outcome {
  const stopPath: string[] = [];
  let exitPrice: string | undefined;
  for (const event of events) {
    if (event.type === 'opened' || event.type === 'stopMoved') stopPath.push(event.stop);
    if (event.type === 'exited') exitPrice = event.price;
  }
  if (peakPrice === null) return { stopPath, peakPrice, keptPercent: null };
  const entry = dec(position.entryPrice);
  const sign = position.side === 'long' ? 1 : -1;
  const peakMove = dec(peakPrice).minus(entry).times(sign);
  if (peakMove.lte(0)) return { stopPath, peakPrice, keptPercent: null };
  const kept = dec(exitPrice ?? finalStop)
    .minus(entry)
    .times(sign);
  return {
    stopPath,
    peakPrice,
    keptPercent: kept.div(peakMove).times(100).toDecimalPlaces(2).toFixed(),
  };
}
