import { describe, expect, it } from 'vitest';

import {
  lane,
  type LaneChange,
  type LaneOptions,
  type LanePosition,
  reachesFastThreshold,
} from '../../src/streams/lane.ts';
import type { PriceTick } from '../../src/streams/priceTick.ts';
import { Dec } from '../../src/domain/money.ts';
import { newScheduler, tick } from './helpers.ts';

/** A long of 1 at 100 with a fixed stop (or none). */
function long(stop?: string): LanePosition {
  return { side: 'long', entryPrice: '100', quantity: '1', currentStop: () => stop };
}

/** Frames are milliseconds in TestScheduler.run: fast 3 ms, normal 10 ms; fast from +1 %. */
const base: Omit<LaneOptions, 'scheduler'> = {
  fastMs: 3,
  normalMs: 10,
  fastWhenProfit: { percent: '1' },
  downgradeAfterCycles: 3,
};

describe('reachesFastThreshold', () => {
  // One row per case: side, price, threshold, expected.
  const rows: [LanePosition['side'], string, { quote: string } | { percent: string }, boolean][] = [
    ['long', '101', { percent: '1' }, true], // exactly at the threshold counts ("at least")
    ['long', '100.99', { percent: '1' }, false],
    ['short', '99', { percent: '1' }, true], // a short profits as the price falls
    ['short', '101', { percent: '1' }, false],
    ['long', '102.5', { quote: '5' }, true], // quantity 2 × 2.5 = 5
    ['long', '102.49', { quote: '5' }, false],
    ['short', '97.5', { quote: '5' }, true],
  ];
  it.each(rows)('%s at %s with %j → %s', (side, price, threshold, expected) => {
    const position: LanePosition = {
      side,
      entryPrice: '100',
      quantity: '2',
      currentStop: () => undefined,
    };
    expect(reachesFastThreshold(position, new Dec(price), threshold)).toBe(expected);
  });
});

describe('lane', () => {
  it('delivers only the low, high and last tick of a window, in order, with their own ts', () => {
    const v = {
      h: tick(0, '100.95'),
      a: tick(1, '100.2'),
      b: tick(2, '99.5'),
      c: tick(3, '100.8'),
      d: tick(4, '100.1'),
      e: tick(5, '100.3'),
    };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // h, the first tick, is a new best price and leaves at once; a–e stay below it.
      const out = cold('h a b c d e 20ms |', v).pipe(lane(long(), { ...base, scheduler }));
      expectObservable(out).toBe('h 9ms x 15ms |', {
        h: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.h] },
        x: { lane: 'normal', cause: 'window', ts: 10, ticks: [v.b, v.c, v.e] },
      });
    });
  });

  it('deduplicates a tick that is both an extreme and the last', () => {
    const v = {
      h: tick(0, '100.95'),
      a: tick(1, '100.5'),
      b: tick(2, '100.1'),
      c: tick(3, '100.9'),
    };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // c is the high and the last; b is the low: two ticks, not three.
      const out = cold('habc 20ms |', v).pipe(lane(long(), { ...base, scheduler }));
      expectObservable(out).toBe('h 9ms x 13ms |', {
        h: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.h] },
        x: { lane: 'normal', cause: 'window', ts: 10, ticks: [v.b, v.c] },
      });
    });
  });

  it('delivers a stop-crossing tick at once, with the pending extremes before it', () => {
    const v = {
      h: tick(0, '100.95'),
      a: tick(1, '100.4'),
      b: tick(2, '100.6'),
      c: tick(3, '98.9'),
      d: tick(4, '99.5'),
    };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const out = cold('h a b c d 20ms |', v).pipe(lane(long('99'), { ...base, scheduler }));
      expectObservable(out).toBe('h--x 6ms y 14ms |', {
        h: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.h] },
        // c (98.9 ≤ 99) goes out at frame 3, not at the window's end at 10.
        x: { lane: 'normal', cause: 'stopCrossed', ts: 3, ticks: [v.b, v.c] },
        y: { lane: 'normal', cause: 'window', ts: 10, ticks: [v.d] },
      });
    });
  });

  it('reads the stop as it stands when each tick arrives', () => {
    const v = { a: tick(1, '99.5'), b: tick(2, '99.5') };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // The stop rises from 99 to 99.6 at frame 5: the same price crosses it only afterwards.
      const position: LanePosition = {
        ...long(),
        currentStop: () => (scheduler.now() < 5 ? '99' : '99.6'),
      };
      const out = cold('a 5ms b 20ms |', v).pipe(lane(position, { ...base, scheduler }));
      // a, the first tick, is a new best price; b (not above it) crosses the raised stop.
      expectObservable(out).toBe('a 5ms x 20ms |', {
        a: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.a] },
        x: { lane: 'normal', cause: 'stopCrossed', ts: 6, ticks: [v.b] },
      });
    });
  });

  it('treats a short’s stop as crossed at or above it', () => {
    const v = { a: tick(1, '100.9'), b: tick(2, '101') };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const short: LanePosition = {
        side: 'short',
        entryPrice: '100',
        quantity: '1',
        currentStop: () => '101',
      };
      const out = cold('ab 20ms |', v).pipe(lane(short, { ...base, scheduler }));
      expectObservable(out).toBe('ax 20ms |', {
        a: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.a] },
        x: { lane: 'normal', cause: 'stopCrossed', ts: 1, ticks: [v.b] },
      });
    });
  });

  it('switches to the fast lane on the tick that reaches the threshold and samples fast from then', () => {
    const v = { a: tick(1, '100.5'), b: tick(2, '101'), c: tick(3, '101.5'), d: tick(4, '100.9') };
    const changes: LaneChange[] = [];
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const out = cold('a-bcd 20ms |', v).pipe(
        lane(long(), { ...base, scheduler, onLaneChange: (c) => changes.push(c) }),
      );
      expectObservable(out).toBe('a-xn-y 19ms |', {
        a: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.a] },
        x: { lane: 'fast', cause: 'upgraded', ts: 2, ticks: [v.b] },
        // c is a new high: at once. The fast window restarted at the upgrade: 2 + 3 = 5.
        n: { lane: 'fast', cause: 'newExtreme', ts: 3, ticks: [v.c] },
        y: { lane: 'fast', cause: 'window', ts: 5, ticks: [v.d] },
      });
    });
    // Below the threshold from frame 5 on: three empty fast cycles (8, 11, 14) bring it back.
    expect(changes).toEqual([
      { ts: 2, from: 'normal', to: 'fast' },
      { ts: 14, from: 'fast', to: 'normal' },
    ]);
  });

  it('returns to normal only after downgradeAfterCycles consecutive cycles below', () => {
    const v = {
      a: tick(1, '102'),
      b: tick(2, '100.5'),
      c: tick(3, '101.5'),
      d: tick(4, '100.2'),
      e: tick(5, '100.3'),
    };
    const changes: LaneChange[] = [];
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      // a@0 upgrades; b@1 is below; c@7 touches the threshold again, d@8 falls back below.
      // Cycles end at 3 (below, 1), 6 (below, 2), 9 (c reached: 0), 12, 15, 18 → downgrade at 18.
      // e@19 then waits for the normal window ending at 28.
      const out = cold('ab 5ms cd 10ms e 20ms |', v).pipe(
        lane(long(), { ...base, scheduler, onLaneChange: (c) => changes.push(c) }),
      );
      expectObservable(out).toBe('x--y 5ms z 18ms w 11ms |', {
        x: { lane: 'fast', cause: 'upgraded', ts: 0, ticks: [v.a] },
        y: { lane: 'fast', cause: 'window', ts: 3, ticks: [v.b] },
        z: { lane: 'fast', cause: 'window', ts: 9, ticks: [v.c, v.d] },
        w: { lane: 'normal', cause: 'window', ts: 28, ticks: [v.e] },
      });
    });
    expect(changes).toEqual([
      { ts: 0, from: 'normal', to: 'fast' },
      { ts: 18, from: 'fast', to: 'normal' },
    ]);
  });

  it('stays fast while the last known price is at or above the threshold, ticks or not', () => {
    const changes: LaneChange[] = [];
    const scheduler = newScheduler();
    scheduler.run(({ cold }) => {
      cold('a 60ms |', { a: tick(1, '101') })
        .pipe(lane(long(), { ...base, scheduler, onLaneChange: (c) => changes.push(c) }))
        .subscribe();
    });
    expect(changes).toEqual([{ ts: 0, from: 'normal', to: 'fast' }]);
  });

  it('passes every tick through, unchanged and alone, when both intervals are 0', () => {
    const v = { a: tick(1, '100'), b: tick(2, '102'), c: tick(3, '99'), d: tick(4, '98') };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const out = cold('ab-cd|', v).pipe(
        lane(long('98.5'), { ...base, fastMs: 0, normalMs: 0, scheduler }),
      );
      expectObservable(out).toBe('ab-cd|', {
        a: { lane: 'normal', cause: 'passthrough', ts: 0, ticks: [v.a] },
        b: { lane: 'fast', cause: 'upgraded', ts: 1, ticks: [v.b] },
        c: { lane: 'fast', cause: 'passthrough', ts: 3, ticks: [v.c] },
        d: { lane: 'fast', cause: 'stopCrossed', ts: 4, ticks: [v.d] },
      });
    });
  });

  it('completes at once on an empty source, leaving no timer behind', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<PriceTick>('|').pipe(lane(long(), { ...base, scheduler }))).toBe('|');
    });
    // A leaked window timer would keep rescheduling itself and leave actions queued.
    expect(scheduler.actions).toHaveLength(0);
  });

  it('delivers the open window on completion and on error, then forwards the end', () => {
    const v = { h: tick(0, '100.2'), a: tick(1, '100.1') };
    const boom = new Error('socket gone');
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const h = { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.h] };
      const x = { lane: 'normal', cause: 'ended', ts: 2, ticks: [v.a] };
      expectObservable(cold('ha|', v).pipe(lane(long(), { ...base, scheduler }))).toBe('h-(x|)', {
        h,
        x,
      });
      expectObservable(cold('ha#', v, boom).pipe(lane(long(), { ...base, scheduler }))).toBe(
        'h-(x#)',
        { h, x },
        boom,
      );
    });
  });

  it('errors loudly on a tick that skipped validation', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const out = cold('a|', { a: tick(1, 'NaN') }).pipe(lane(long(), { ...base, scheduler }));
      expectObservable(out).toBe(
        '#',
        undefined,
        new Error(
          'lane received an unvalidated tick {"symbol":"BTC/USDT:USDT","ts":1,"price":"NaN"}: put validateTicks() before it',
        ),
      );
    });
  });

  it('ends the stream with the error when reading the stop fails', () => {
    const broken = new Error('snapshot unavailable');
    const position: LanePosition = {
      ...long(),
      currentStop: () => {
        throw broken;
      },
    };
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const out = cold('a|', { a: tick(1, '100') }).pipe(lane(position, { ...base, scheduler }));
      expectObservable(out).toBe('#', undefined, broken);
    });
    expect(scheduler.actions).toHaveLength(0);
  });

  it('stops its timer and its source when the consumer leaves early', () => {
    const v = { a: tick(1, '100.1'), b: tick(2, '100.2') };
    const scheduler = newScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('a 20ms b|', v);
      expectObservable(source.pipe(lane(long(), { ...base, scheduler })), '^ 5ms !').toBe('x', {
        x: { lane: 'normal', cause: 'newExtreme', ts: 0, ticks: [v.a] },
      });
      expectSubscriptions(source.subscriptions).toBe('^ 5ms !');
    });
    expect(scheduler.actions).toHaveLength(0);
  });

  it('leaves no timer behind when the consumer leaves inside a window delivery', () => {
    const v = { h: tick(0, '100.95'), a: tick(1, '100.1') };
    const scheduler = newScheduler();
    scheduler.run(({ cold }) => {
      const seen: string[] = [];
      const sub = cold('ha 30ms |', v)
        .pipe(lane(long(), { ...base, scheduler }))
        .subscribe((d) => {
          seen.push(d.cause);
          if (d.cause === 'window') sub.unsubscribe();
        });
      scheduler.schedule(() => expect(seen).toEqual(['newExtreme', 'window']), 50);
    });
    expect(scheduler.actions).toHaveLength(0);
  });
});
