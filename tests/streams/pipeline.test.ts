/**
 * The pieces composed as the engine composes them from the engine config's `lanes` block, on
 * virtual time with a fake ccxt exchange: WebSocket → fallback to REST on a drop →
 * validation → a position's lane.
 */
import { map, NEVER, type Observable, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { lanesSchema } from '../../src/config/lanesSchema.ts';
import { validate } from '../../src/config/validate.ts';
import {
  ccxtWatchSource,
  type CcxtTickerLike,
  type CcxtTradeLike,
} from '../../src/streams/ccxtWatchSource.ts';
import { FallbackSource, type SourceSwitch } from '../../src/streams/fallbackSource.ts';
import { lane, type LaneDelivery } from '../../src/streams/lane.ts';
import { PollPace } from '../../src/streams/pollPace.ts';
import { restPollingSource } from '../../src/streams/restPollingSource.ts';
import { RejectionCounters, validatedSource } from '../../src/streams/validateTicks.ts';
import { newScheduler } from './helpers.ts';

const SYM = 'BTC/USDT:USDT';

describe('live pipeline on virtual time', () => {
  it('keeps prices flowing through a WebSocket drop and delivers the stop-crossing poll at once', () => {
    const scheduler = newScheduler();
    const config = validate(lanesSchema, {
      fastMs: 5,
      normalMs: 10,
      fastWhenProfit: { percent: 50 }, // never fast here: the crossing must not need the fast lane
      maxPriceAgeMs: 5,
      backoff: { initialMs: 4, maxMs: 8 },
      priceSource: 'ticker',
      pollIntervalMs: 2,
    });
    const deliveries: LaneDelivery[] = [];
    const switches: SourceSwitch[] = [];
    const counters = new RejectionCounters();
    scheduler.run(() => {
      // WebSocket: 100 at 2, 101 at 4, 102 at 6, drop at 7; after the redial at 11, 99.2 at 15.
      let wsCall = 0;
      const wsScript: (() => Observable<CcxtTickerLike>)[] = [
        () => timer(2).pipe(map(() => ({ timestamp: scheduler.now(), last: 100 }))),
        () => timer(2).pipe(map(() => ({ timestamp: scheduler.now(), last: 101 }))),
        () => timer(2).pipe(map(() => ({ timestamp: scheduler.now(), last: 102 }))),
        () =>
          timer(1).pipe(
            map((): CcxtTickerLike => {
              throw new Error('NetworkError: connection closed');
            }),
          ),
        () => timer(4).pipe(map(() => ({ timestamp: scheduler.now(), last: 99.2 }))),
      ];
      const exchange = {
        watchTrades: (): Observable<CcxtTradeLike[]> => NEVER,
        watchTicker: () => wsScript[wsCall++]?.() ?? NEVER,
        // REST: the market has dropped to 99 (through the 99.5 stop) from 9 on.
        fetchTicker: () => [{ timestamp: scheduler.now(), last: scheduler.now() < 9 ? 101 : 99 }],
      };
      const pace = new PollPace(config.pollIntervalMs);
      const feed = new FallbackSource(
        ccxtWatchSource(exchange, { watch: config.priceSource, scheduler }),
        restPollingSource(exchange, { intervalMs: (s) => pace.intervalMs$(s), scheduler }),
        { ...config, scheduler },
      );
      feed.switches$.subscribe((s) => switches.push(s));
      const position = {
        side: 'long' as const,
        entryPrice: '100',
        quantity: '1',
        currentStop: () => '99.5',
      };
      const sub = validatedSource(feed, { counters })
        .ticks(SYM)
        .pipe(lane(position, { ...config, scheduler }))
        .subscribe((d) => deliveries.push(d));
      scheduler.schedule(() => sub.unsubscribe(), 16);
    });

    expect(switches).toEqual([
      { symbol: SYM, from: 'websocket', to: 'rest', ts: 7, reason: 'error' },
      { symbol: SYM, from: 'rest', to: 'websocket', ts: 15, reason: 'recovered' },
    ]);
    // Each WebSocket price is a new high for the long, so it leaves at once. Normal lane
    // (10 ms), yet the poll at 9 that crossed the stop is delivered at 9, after the window's
    // high (the poll of 101 at 7); every later price is below the stop too: each on arrival.
    expect(
      deliveries.map((d) => [d.ts, d.lane, d.cause, d.ticks.map((t) => [t.ts, t.price])]),
    ).toEqual([
      [2, 'normal', 'newExtreme', [[2, '100']]],
      [4, 'normal', 'newExtreme', [[4, '101']]],
      [6, 'normal', 'newExtreme', [[6, '102']]],
      [
        9,
        'normal',
        'stopCrossed',
        [
          [7, '101'],
          [9, '99'],
        ],
      ],
      [11, 'normal', 'stopCrossed', [[11, '99']]],
      [13, 'normal', 'stopCrossed', [[13, '99']]],
      [15, 'normal', 'stopCrossed', [[15, '99.2']]],
    ]);
    expect(counters.total()).toBe(0);
  });
});
