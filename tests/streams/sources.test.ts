import type { pro } from 'ccxt';
import { map, take, timer } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';

import {
  ccxtWatchSource,
  type CcxtTickerLike,
  type CcxtTradeLike,
  type CcxtWatchExchange,
} from '../../src/streams/ccxtWatchSource.ts';
import { replaySource } from '../../src/streams/replaySource.ts';
import { type CcxtRestExchange, restPollingSource } from '../../src/streams/restPollingSource.ts';
import { newScheduler, tick } from './helpers.ts';

const SYM = 'BTC/USDT:USDT';

describe('the ccxt structural interfaces', () => {
  it('accept a real ccxt binanceusdm exchange (checked by tsc)', () => {
    expectTypeOf<InstanceType<typeof pro.binanceusdm>>().toExtend<CcxtWatchExchange>();
    expectTypeOf<InstanceType<typeof pro.binanceusdm>>().toExtend<CcxtRestExchange>();
  });
});

describe('replaySource', () => {
  it('emits each tick of the symbol at its ts on the scheduler, keeping list order', () => {
    const v = {
      a: tick(2, '1'),
      b: tick(5, '2'),
      c: tick(3, '3'),
      d: tick(5, '4'),
      e: tick(12, '5'),
    };
    const other = tick(4, '9', 'ETH');
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const source = replaySource([v.a, v.b, other, v.c, v.d, v.e], { scheduler });
      // c is older than b: it follows b at once rather than being reordered (validation counts it).
      expectObservable(source.ticks(SYM)).toBe('-- a 2ms (bcd) 2ms (e|)', v);
    });
  });

  it('offsets ts by origin', () => {
    const v = { a: tick(1000, '1'), b: tick(1003, '2') };
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(replaySource([v.a, v.b], { scheduler, origin: 1000 }).ticks(SYM)).toBe(
        'a--(b|)',
        v,
      );
    });
  });

  it('completes at once for a symbol without ticks', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(replaySource([tick(1, '1', 'ETH')], { scheduler }).ticks(SYM)).toBe('|');
    });
  });

  it('cancels its pending tick when the consumer leaves early', () => {
    const v = { a: tick(1, '1'), b: tick(5, '2') };
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(replaySource([v.a, v.b], { scheduler }).ticks(SYM), '^--!').toBe('-a', v);
    });
    expect(scheduler.actions).toHaveLength(0);
  });
});

/** A fake exchange: every watch* call resolves after `delay` frames with the next scripted value. */
function fakeExchange(
  delay: number,
  script: { trades?: CcxtTradeLike[][]; tickers?: CcxtTickerLike[]; failAt?: number },
) {
  const calls: string[] = [];
  let n = 0;
  const next = <T>(values: T[] | undefined, what: string) => {
    const i = n++;
    calls.push(what);
    return timer(delay).pipe(
      map(() => {
        if (script.failAt === i) throw new Error('NetworkError: socket closed');
        const value = values?.[i];
        if (value === undefined) throw new Error(`script exhausted at call ${i}`);
        return value;
      }),
    );
  };
  const exchange: CcxtWatchExchange & CcxtRestExchange = {
    watchTrades: () => next(script.trades, 'watchTrades'),
    watchTicker: () => next(script.tickers, 'watchTicker'),
    watchMarkPrice: () => next(script.tickers, 'watchMarkPrice'),
    fetchTicker: () => next(script.tickers, 'fetchTicker'),
  };
  return { exchange, calls };
}

describe('ccxtWatchSource', () => {
  it('turns each batch of watched trades into ticks with decimal-text prices', () => {
    const { exchange, calls } = fakeExchange(5, {
      trades: [
        [
          { timestamp: 10, price: 100.1 },
          { timestamp: 11, price: 100.2 },
        ],
        [{ timestamp: 12, price: Number.NaN }],
      ],
      failAt: 2,
    });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const source = ccxtWatchSource(exchange, { scheduler });
      expectObservable(source.ticks(SYM)).toBe(
        '5ms (ab)-c 4ms #',
        {
          a: tick(10, '100.1'),
          b: tick(11, '100.2'),
          c: tick(12, 'NaN'), // forwarded for validation to reject and count, not dropped here
        },
        new Error('NetworkError: socket closed'),
      );
    });
    expect(calls).toEqual(['watchTrades', 'watchTrades', 'watchTrades']);
  });

  it('emits nothing for an empty trades batch and keeps watching', () => {
    const { exchange, calls } = fakeExchange(2, { trades: [[], [{ timestamp: 4, price: '5' }]] });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(ccxtWatchSource(exchange, { scheduler }).ticks(SYM), '^ 4ms !').toBe(
        '----a',
        {
          a: tick(4, '5'),
        },
      );
    });
    expect(calls).toEqual(['watchTrades', 'watchTrades', 'watchTrades']);
  });

  it('reads last from watchTicker and markPrice from watchMarkPrice, per symbol', () => {
    const tickers = [{ timestamp: 5, last: 100.5, markPrice: 100.4 }];
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const t = fakeExchange(1, { tickers });
      expectObservable(
        ccxtWatchSource(t.exchange, { scheduler, watch: 'ticker' }).ticks(SYM).pipe(take(1)),
      ).toBe('-(a|)', {
        a: tick(5, '100.5'),
      });
      const m = fakeExchange(1, { tickers });
      const bySymbol = ccxtWatchSource(m.exchange, {
        scheduler,
        watch: (s) => (s === SYM ? 'markPrice' : 'trades'),
      });
      expectObservable(bySymbol.ticks(SYM).pipe(take(1))).toBe('-(a|)', { a: tick(5, '100.4') });
    });
  });

  it('stamps an update without a timestamp with the scheduler time', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const { exchange } = fakeExchange(3, { tickers: [{ last: '7.5' }] });
      expectObservable(
        ccxtWatchSource(exchange, { scheduler, watch: 'ticker' }).ticks(SYM).pipe(take(1)),
      ).toBe('---(a|)', {
        a: tick(3, '7.5'),
      });
    });
  });

  it('errors when markPrice is asked of an exchange without watchMarkPrice', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const exchange: CcxtWatchExchange = { watchTrades: () => [], watchTicker: () => [] };
      expectObservable(
        ccxtWatchSource(exchange, { scheduler, watch: 'markPrice' }).ticks(SYM),
      ).toBe('#', undefined, new Error(`this exchange has no watchMarkPrice (symbol ${SYM})`));
    });
  });

  it('makes one watch loop per symbol however many consumers, and a new watch call after an error', () => {
    const { exchange, calls } = fakeExchange(2, {
      tickers: [
        { timestamp: 1, last: 1 },
        { timestamp: 2, last: 2 },
      ],
      failAt: 2,
    });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const source = ccxtWatchSource(exchange, { scheduler, watch: 'ticker' });
      const v = { a: tick(1, '1'), b: tick(2, '2') };
      const err = new Error('NetworkError: socket closed');
      expectObservable(source.ticks(SYM)).toBe('--a-b-#', v, err);
      expectObservable(source.ticks(SYM)).toBe('--a-b-#', v, err);
      // A consumer arriving after the drop redials: the next watch call (index 3) is made.
      expectObservable(source.ticks(SYM), '7ms ^').toBe(
        '9ms #',
        undefined,
        new Error('script exhausted at call 3'),
      );
    });
    expect(calls).toHaveLength(4);
  });

  it('stops calling watch when the last consumer leaves', () => {
    const { exchange, calls } = fakeExchange(2, {
      tickers: [
        { timestamp: 1, last: 1 },
        { timestamp: 2, last: 2 },
      ],
    });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(
        ccxtWatchSource(exchange, { scheduler, watch: 'ticker' }).ticks(SYM),
        '^--!',
      ).toBe('--a', { a: tick(1, '1') });
    });
    expect(calls).toHaveLength(2); // the second call was made at 2 and abandoned at 3
  });
});

describe('restPollingSource', () => {
  it('fetches at once and then every interval, with the ticker’s last price', () => {
    const tickers = [1, 2, 3].map((i) => ({ timestamp: i, last: 100 + i }));
    const { exchange } = fakeExchange(1, { tickers });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const source = restPollingSource(exchange, { scheduler, intervalMs: 5 });
      expectObservable(source.ticks(SYM), '^ 11ms !').toBe('-a 4ms b 4ms c', {
        a: tick(1, '101'),
        b: tick(2, '102'),
        c: tick(3, '103'),
      });
    });
  });

  it('never doubles a poll that is still in flight', () => {
    const tickers = [1, 2].map((i) => ({ timestamp: i, last: i }));
    const { exchange, calls } = fakeExchange(7, { tickers });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      // Polls due at 0, 5, 10: the one at 5 is skipped because the fetch from 0 ends at 7.
      expectObservable(
        restPollingSource(exchange, { scheduler, intervalMs: 5 }).ticks(SYM),
        '^ 17ms !',
      ).toBe('7ms a 9ms b', {
        a: tick(1, '1'),
        b: tick(2, '2'),
      });
    });
    expect(calls).toHaveLength(2);
  });

  it('follows a per-symbol interval that changes, restarting the timer at once', () => {
    const tickers = [1, 2, 3, 4].map((i) => ({ timestamp: i, last: i }));
    const { exchange } = fakeExchange(0, { tickers });
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const intervalMs = () => cold('a 5ms b', { a: 10, b: 2 });
      expectObservable(
        restPollingSource(exchange, { scheduler, intervalMs }).ticks(SYM),
        '^ 10ms !',
      ).toBe('a 5ms b-c-d', {
        a: tick(1, '1'),
        b: tick(2, '2'),
        c: tick(3, '3'),
        d: tick(4, '4'),
      });
    });
  });

  it('errors when a fetch fails, leaving the retry to the fallback', () => {
    const { exchange } = fakeExchange(1, { tickers: [], failAt: 0 });
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(restPollingSource(exchange, { scheduler, intervalMs: 5 }).ticks(SYM)).toBe(
        '-#',
        undefined,
        new Error('NetworkError: socket closed'),
      );
    });
  });
});
