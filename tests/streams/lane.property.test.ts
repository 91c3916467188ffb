/**
 * Invariants of lanes over random tick paths, positions and intervals (fast-check). Each run
 * gets its own TestScheduler, so windows are exact and runs are independent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Dec } from '../../src/domain/money.ts';
import {
  lane,
  type LaneDelivery,
  type LaneOptions,
  type LanePosition,
} from '../../src/streams/lane.ts';
import { crossesStop, type PriceTick } from '../../src/streams/priceTick.ts';
import { replaySource } from '../../src/streams/replaySource.ts';
import { newScheduler } from './helpers.ts';

const SYM = 'BTC/USDT:USDT';

/** Cents as exact decimal text: 12345 → "123.45". */
const cents = (n: number): string => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

/** Random paths: gaps of 0–15 ms (0 = same frame), prices 0.01–2000.00 around an entry. */
const pathArb = fc
  .array(fc.record({ gap: fc.nat({ max: 15 }), price: fc.integer({ min: 1, max: 200_000 }) }), {
    maxLength: 60,
  })
  .map((steps) => {
    let ts = 0;
    return steps.map(({ gap, price }): PriceTick => {
      ts += gap;
      return { symbol: SYM, ts, price: cents(price) };
    });
  });

const positionArb = fc.record({
  side: fc.constantFrom('long' as const, 'short' as const),
  entryPrice: fc.integer({ min: 1, max: 200_000 }).map(cents),
  quantity: fc.integer({ min: 1, max: 500 }).map(cents),
  stop: fc.option(fc.integer({ min: 1, max: 200_000 }).map(cents), { nil: undefined }),
});

const thresholdArb = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map((n) => ({ percent: String(n) })),
  fc.integer({ min: -5000, max: 5000 }).map((n) => ({ quote: String(n) })),
);

function runLane(
  ticks: PriceTick[],
  position: LanePosition,
  options: Omit<LaneOptions, 'scheduler'>,
): LaneDelivery[] {
  const scheduler = newScheduler();
  const out: LaneDelivery[] = [];
  scheduler.run(() => {
    replaySource(ticks, { scheduler })
      .ticks(SYM)
      .pipe(lane(position, { ...options, scheduler }))
      .subscribe((d) => out.push(d));
  });
  return out;
}

const asPosition = (p: {
  side: 'long' | 'short';
  entryPrice: string;
  quantity: string;
  stop: string | undefined;
}): LanePosition => ({
  side: p.side,
  entryPrice: p.entryPrice,
  quantity: p.quantity,
  currentStop: () => p.stop,
});

describe('lane properties', () => {
  it('with intervals of 0, delivers exactly the input: same ticks, same order, one at a time, on arrival', () => {
    fc.assert(
      fc.property(
        pathArb,
        positionArb,
        thresholdArb,
        fc.integer({ min: 1, max: 5 }),
        (ticks, p, threshold, cycles) => {
          const out = runLane(ticks, asPosition(p), {
            fastMs: 0,
            normalMs: 0,
            fastWhenProfit: threshold,
            downgradeAfterCycles: cycles,
          });
          const flat = out.flatMap((d) => d.ticks);
          expect(flat).toHaveLength(ticks.length);
          flat.forEach((t, i) => expect(t).toBe(ticks[i])); // the very objects, untouched
          out.forEach((d) => {
            expect(d.ticks).toHaveLength(1);
            expect(d.ts).toBe(d.ticks[0]?.ts);
          });
        },
      ),
    );
  });

  it('with any intervals, every window’s low, high and last reach the consumer, and stop crossings at once', () => {
    const intervalsArb = fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 60 }))
      .map(([a, b]) => ({ fastMs: Math.min(a, b), normalMs: Math.max(a, b) }));
    fc.assert(
      fc.property(
        pathArb,
        positionArb,
        thresholdArb,
        intervalsArb,
        fc.integer({ min: 1, max: 5 }),
        (ticks, p, threshold, iv, cycles) => {
          const position = asPosition(p);
          const out = runLane(ticks, position, {
            ...iv,
            fastWhenProfit: threshold,
            downgradeAfterCycles: cycles,
          });
          const indexOf = new Map(ticks.map((t, i) => [t, i]));
          let prevEnd = -1;
          for (const delivery of out) {
            expect(delivery.ticks.length).toBeGreaterThan(0);
            expect(delivery.ticks.length).toBeLessThanOrEqual(3);
            const idx = delivery.ticks.map((t) => indexOf.get(t) ?? -1);
            // Original objects, strictly increasing positions, all inside this window.
            idx.forEach((i, k) => {
              expect(i).toBeGreaterThan(k === 0 ? prevEnd : (idx[k - 1] ?? -1));
            });
            const end = idx[idx.length - 1] ?? -1;
            const window = ticks.slice(prevEnd + 1, end + 1);
            const prices = window.map((t) => new Dec(t.price));
            const low = Dec.min(...prices);
            const high = Dec.max(...prices);
            const delivered = delivery.ticks.map((t) => new Dec(t.price));
            expect(delivered.some((d) => d.eq(low))).toBe(true);
            expect(delivered.some((d) => d.eq(high))).toBe(true);
            prevEnd = end;
          }
          // Nothing is left in an open window when the source completes.
          expect(prevEnd).toBe(ticks.length - 1);
          // A tick crossing the stop ends a delivery made at its own arrival time.
          ticks.forEach((t) => {
            if (p.stop !== undefined && crossesStop(p.side, new Dec(t.price), p.stop)) {
              const d = out.find((x) => x.ticks[x.ticks.length - 1] === t);
              expect(d?.ts).toBe(t.ts);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
