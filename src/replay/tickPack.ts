import type { Tick } from '../domain/types.ts';

/**
 * Ticks packed for a trip to a worker thread: the timestamps in one typed array (moved, not
 * copied) and the prices as one newline-joined string (copied as one block), instead of a
 * structured clone of one object per tick.
 */
export interface TickPack {
  readonly ts: Float64Array;
  readonly prices: string;
}

/** Returns `ticks` packed. A price holding a newline cannot be a number, so it becomes "NaN". */
export function packTicks(ticks: readonly Tick[]): TickPack {
  const ts = new Float64Array(ticks.length);
  const prices = new Array<string>(ticks.length);
  for (let i = 0; i < ticks.length; i++) {
    const tick = ticks[i] as Tick;
    ts[i] = tick.ts;
    prices[i] = tick.price.includes('\n') ? 'NaN' : tick.price;
  }
  return { ts, prices: prices.join('\n') };
}

/** Returns the ticks of a pack. */
export function unpackTicks(pack: TickPack): Tick[] {
  const prices = pack.ts.length === 0 ? [] : pack.prices.split('\n');
  const ticks = new Array<Tick>(pack.ts.length);
  for (let i = 0; i < ticks.length; i++)
    ticks[i] = { ts: pack.ts[i] as number, price: prices[i] as string };
  return ticks;
}
