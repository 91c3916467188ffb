import { describe, expect, it } from 'vitest';
import { createActor, type Actor } from 'xstate';

import { feedPosition } from '../../src/streams/positionFeed.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { PollPace } from '../../src/streams/pollPace.ts';
import type { PriceSource } from '../../src/streams/priceSource.ts';
import type { PriceTick } from '../../src/streams/priceTick.ts';
import { replaySource } from '../../src/streams/replaySource.ts';
import { restPollingSource } from '../../src/streams/restPollingSource.ts';
import { RejectionCounters } from '../../src/streams/validateTicks.ts';
import { newScheduler } from './helpers.ts';

const SYM = 'X/USDT:USDT';

/** A started position of 1 at 100 with a 2 % initial stop (long: 98, short: 102). */
function position(side: 'long' | 'short' = 'long'): Actor<typeof positionMachine> {
  const actor = createActor(positionMachine, {
    input: {
      market: { tickSize: '0.01' },
      position: { side, entryPrice: '100', quantity: '1', openedAt: 0 },
      policy: { initialStop: { percent: 2 } },
    },
  } as unknown as Parameters<typeof createActor<typeof positionMachine>>[1]);
  actor.start();
  return actor;
}

const lanes = {
  fastMs: 300,
  normalMs: 3000,
  fastWhenProfit: { percent: '1' },
  downgradeAfterCycles: 3,
};

const ticks = (rows: [number, string][]): PriceTick[] =>
  rows.map(([ts, price]) => ({ symbol: SYM, ts, price }));

describe('feedPosition', () => {
  it('rejects and counts an unvalidated bad tick instead of throwing, and keeps feeding', () => {
    const scheduler = newScheduler();
    const counters = new RejectionCounters();
    const errors: unknown[] = [];
    const actor = position();
    scheduler.run(() => {
      const source = replaySource(
        ticks([
          [1000, 'NaN'],
          [2000, '97'],
        ]),
        { scheduler },
      );
      feedPosition(actor, source, SYM, {
        ...lanes,
        scheduler,
        clockPeriodMs: 1000,
        rejections: { counters },
        onError: (e) => errors.push(e),
      });
    });
    expect(counters.count(SYM, 'not a number')).toBe(1);
    expect(errors).toEqual([]);
    expect(actor.getSnapshot().status).toBe('done'); // 97 crossed the 98 stop
  });

  it('reports a failing source to onError once and tears down the lane and the CLOCK', () => {
    const scheduler = newScheduler();
    const errors: unknown[] = [];
    const boom = new Error('socket gone');
    const actor = position();
    const sent: string[] = [];
    const send = actor.send.bind(actor);
    actor.send = (event) => {
      sent.push(event.type);
      send(event);
    };
    let closedAt: number | undefined;
    scheduler.run(({ cold }) => {
      const source: PriceSource = {
        kind: 'websocket',
        ticks: () =>
          cold('100ms a 1999ms #', { a: { symbol: SYM, ts: 100, price: '100.5' } }, boom),
      };
      const sub = feedPosition(actor, source, SYM, {
        ...lanes,
        scheduler,
        clockPeriodMs: 1000,
        onError: (e) => {
          errors.push(e);
          closedAt = scheduler.now();
        },
      });
      scheduler.schedule(() => expect(sub.closed).toBe(true), 5000);
    });
    expect(errors).toEqual([boom]);
    expect(closedAt).toBe(2100);
    // CLOCKs at 1000 and 2000 only: none after the failure at 2100.
    expect(sent).toEqual(['PRICE', 'CLOCK', 'CLOCK']);
    expect(scheduler.actions).toHaveLength(0);
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('reports an exception thrown while sending to the actor instead of throwing it', () => {
    const scheduler = newScheduler();
    const errors: unknown[] = [];
    const broken = new Error('listener failed');
    const actor = position();
    scheduler.run(() => {
      const source = replaySource(ticks([[100, '100.5']]), { scheduler });
      feedPosition(actor, source, SYM, {
        ...lanes,
        scheduler,
        clockPeriodMs: 1000,
        onPrice: () => {
          throw broken;
        },
        onError: (e) => errors.push(e),
      });
    });
    expect(errors).toEqual([broken]);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('reports a machine action that throws (the actor goes to error) to onError and tears the feed down', () => {
    const scheduler = newScheduler();
    const errors: unknown[] = [];
    const healthy = position();
    // A context no machine would write: the first PRICE makes an action throw.
    const snapshot = healthy.getPersistedSnapshot() as unknown as {
      context: Record<string, unknown>;
    };
    healthy.stop();
    const actor = createActor(positionMachine, {
      snapshot: { ...snapshot, context: { ...snapshot.context, peak: '2.8x1' } },
    } as unknown as Parameters<typeof createActor<typeof positionMachine>>[1]);
    actor.start();
    let feed: { closed: boolean } | undefined;
    scheduler.run(() => {
      const source = replaySource(
        ticks([
          [100, '100.5'],
          [200, '100.6'],
        ]),
        { scheduler },
      );
      feed = feedPosition(actor, source, SYM, {
        ...lanes,
        scheduler,
        clockPeriodMs: 1000,
        onError: (e) => errors.push(e),
      });
    });
    expect(actor.getSnapshot().status).toBe('error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/peak is "2\.8x1"/);
    expect(feed?.closed).toBe(true);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('makes its symbol poll at the fast interval while one position is fast, normal again when it exits', () => {
    const scheduler = newScheduler();
    const pace = new PollPace(1000);
    const polls: number[] = [];
    const paceAt: [number, number][] = [];
    const long = position('long');
    const short = position('short');
    scheduler.run(() => {
      // The long turns fast at 1000 (+1.5 %) and exits at 2000 (97 ≤ 98); the short (fast only
      // from +50 %) stays normal and open throughout.
      const source = replaySource(
        ticks([
          [500, '100.5'],
          [1000, '101.5'],
          [2000, '97'],
        ]),
        { scheduler },
      );
      const a = feedPosition(long, source, SYM, {
        ...lanes,
        scheduler,
        pollPace: { pace, key: 'long' },
      });
      const b = feedPosition(short, source, SYM, {
        ...lanes,
        fastWhenProfit: { percent: '50' },
        scheduler,
        pollPace: { pace, key: 'short' },
      });
      pace.intervalMs$(SYM).subscribe((ms) => paceAt.push([scheduler.now(), ms]));
      const rest = restPollingSource(
        {
          fetchTicker: () => {
            polls.push(scheduler.now());
            return [{ timestamp: scheduler.now(), last: 100 }];
          },
        },
        { intervalMs: (s) => pace.intervalMs$(s), scheduler },
      );
      const poller = rest.ticks(SYM).subscribe();
      scheduler.schedule(() => {
        poller.unsubscribe();
        a.unsubscribe();
        b.unsubscribe();
      }, 6500);
    });
    expect(long.getSnapshot().status).toBe('done');
    expect(short.getSnapshot().status).toBe('active');
    expect(paceAt).toEqual([
      [0, 3000],
      [1000, 300],
      [2000, 3000],
      [6500, 1000], // nobody paces the symbol any more: the configured default
    ]);
    expect(polls).toEqual([0, 1000, 1300, 1600, 1900, 2000, 5000]);
  });
});
