/**
 * A lane must never cost an exit: a consumer that applies a trailing stop to what the lane
 * delivers exits on the very tick (ts and price) it would exit on tick by tick. New best prices
 * leave at once so the stop the lane compares with is always the one tick-by-tick processing holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Dec } from '../../src/domain/money.ts';
import { lane, type LaneOptions } from '../../src/streams/lane.ts';
import type { PriceTick } from '../../src/streams/priceTick.ts';
import { replaySource } from '../../src/streams/replaySource.ts';
import { newScheduler } from './helpers.ts';

const SYM = 'BTC/USDT:USDT';

/** A long's trailing stop, d percent behind the highest price seen, rounded up to 0.01. */
class TrailingLong {
  stop: string | undefined;
  private extreme: InstanceType<typeof Dec> | undefined;
  exit: PriceTick | undefined;

  constructor(
    initialStop: string | undefined,
    private readonly percent: string,
  ) {
    this.stop = initialStop;
  }

  /** Applies one tick; returns true when it exits the position. */
  apply(tick: PriceTick): boolean {
    const p = new Dec(tick.price);
    if (this.extreme === undefined || p.gt(this.extreme)) this.extreme = p;
    const candidate = this.extreme
      .times(new Dec(1).minus(new Dec(this.percent).div(100)))
      .toDecimalPlaces(2, Dec.ROUND_CEIL);
    if (this.stop === undefined || candidate.gt(this.stop)) this.stop = candidate.toString();
    if (p.lte(this.stop)) this.exit = tick;
    return this.exit !== undefined;
  }
}

function tickByTick(ticks: PriceTick[], initialStop: string | undefined, percent: string) {
  const t = new TrailingLong(initialStop, percent);
  for (const tick of ticks) if (t.apply(tick)) break;
  return t.exit;
}

/** Runs `ticks` (at their ts, on virtual time) through a lane into a TrailingLong. */
function throughLane(
  ticks: PriceTick[],
  initialStop: string | undefined,
  percent: string,
  options: Omit<LaneOptions, 'scheduler'>,
): { exit: PriceTick | undefined; exitedAt: number | undefined } {
  const consumer = new TrailingLong(initialStop, percent);
  let exitedAt: number | undefined;
  const scheduler = newScheduler();
  scheduler.run(() => {
    const position = {
      side: 'long' as const,
      entryPrice: '100',
      quantity: '1',
      currentStop: () => consumer.stop,
    };
    const sub = replaySource(ticks, { scheduler })
      .ticks(SYM)
      .pipe(lane(position, { ...options, scheduler }))
      .subscribe((delivery) => {
        for (const tick of delivery.ticks) {
          if (consumer.apply(tick)) {
            exitedAt = scheduler.now();
            sub.unsubscribe();
            return;
          }
        }
      });
  });
  return { exit: consumer.exit, exitedAt };
}

describe('lane and a trailing stop', () => {
  it('exits on the tick that falls through a stop tightened earlier in the same window', () => {
    // Long at 100, stop 98, trailing 0.5 %: 99.9 at 1000 lifts the stop to 99.41, so 99.3 at
    // 1500 exits tick by tick. It is neither the 3 s window's low, high nor last.
    const ticks: PriceTick[] = [
      { symbol: SYM, ts: 500, price: '98.2' },
      { symbol: SYM, ts: 1000, price: '99.9' },
      { symbol: SYM, ts: 1500, price: '99.3' },
      { symbol: SYM, ts: 2000, price: '99.6' },
    ];
    expect(tickByTick(ticks, '98', '0.5')).toEqual({ symbol: SYM, ts: 1500, price: '99.3' });
    const out = throughLane(ticks, '98', '0.5', {
      fastMs: 3000,
      normalMs: 3000,
      fastWhenProfit: { percent: '50' },
      downgradeAfterCycles: 3,
    });
    expect(out.exit).toEqual({ symbol: SYM, ts: 1500, price: '99.3' });
    expect(out.exitedAt).toBe(1500); // at once, not at the window's end
  });

  it('property: with any lane intervals the exit tick equals the tick-by-tick one', () => {
    const cents = (n: number): string =>
      `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
    const pathArb = fc
      .array(fc.record({ gap: fc.nat({ max: 15 }), move: fc.integer({ min: -150, max: 150 }) }), {
        maxLength: 80,
      })
      .map((steps) => {
        let ts = 0;
        let price = 10_000; // 100.00, the entry
        return steps.map(({ gap, move }): PriceTick => {
          ts += gap;
          price = Math.max(1, price + move);
          return { symbol: SYM, ts, price: cents(price) };
        });
      });
    const intervalsArb = fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 60 }))
      .map(([a, b]) => ({ fastMs: Math.min(a, b), normalMs: Math.max(a, b) }));
    fc.assert(
      fc.property(
        pathArb,
        fc.option(fc.integer({ min: 9_000, max: 9_990 }).map(cents), { nil: undefined }),
        fc.constantFrom('0.5', '1', '2', '5'),
        intervalsArb,
        fc.integer({ min: -5, max: 5 }).map((n) => ({ percent: String(n) })),
        fc.integer({ min: 1, max: 4 }),
        (ticks, initialStop, percent, iv, fastWhenProfit, cycles) => {
          const expected = tickByTick(ticks, initialStop, percent);
          const out = throughLane(ticks, initialStop, percent, {
            ...iv,
            fastWhenProfit,
            downgradeAfterCycles: cycles,
          });
          expect(out.exit).toBe(expected); // the very tick object: same ts, same price
          if (expected !== undefined) expect(out.exitedAt).toBe(expected.ts);
        },
      ),
      { numRuns: 300 },
    );
  });
});
