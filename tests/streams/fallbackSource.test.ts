import { defer, NEVER, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';

import {
  backoffDelay,
  FallbackSource,
  type SourceFailure,
  type SourceSwitch,
} from '../../src/streams/fallbackSource.ts';
import type { PriceSource } from '../../src/streams/priceSource.ts';
import type { PriceTick } from '../../src/streams/priceTick.ts';
import { newScheduler, tick } from './helpers.ts';

const SYM = 'BTC/USDT:USDT';
const v = {
  a: tick(1, '100'),
  b: tick(2, '101'),
  c: tick(8, '103'),
  d: tick(9, '104'),
  r: tick(3, '101.5'),
  s: tick(6, '102'),
  t: tick(10, '102.5'),
};

/** A source whose n-th subscription to a symbol plays the n-th scripted stream, then nothing. */
function scripted(
  kind: 'websocket' | 'rest',
  bySymbol: Record<string, Observable<PriceTick>[]>,
): PriceSource & { dials: Record<string, number> } {
  const dials: Record<string, number> = {};
  return {
    kind,
    dials,
    ticks: (symbol) =>
      defer(() => {
        const n = dials[symbol] ?? 0;
        dials[symbol] = n + 1;
        return bySymbol[symbol]?.[n] ?? NEVER;
      }),
  };
}

function record(source: FallbackSource): {
  switches: SourceSwitch[];
  failures: Omit<SourceFailure, 'error'>[];
} {
  const switches: SourceSwitch[] = [];
  const failures: Omit<SourceFailure, 'error'>[] = [];
  source.switches$.subscribe((s) => switches.push(s));
  source.failures$.subscribe(({ error: _error, ...f }) => failures.push(f));
  return { switches, failures };
}

const backoff = { initialMs: 4, maxMs: 10, factor: 2 };

describe('backoffDelay', () => {
  it('grows by the factor from initialMs and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, backoff))).toEqual([4, 8, 10, 10, 10]);
  });
});

describe('FallbackSource', () => {
  it('falls back to REST when the WebSocket errors and returns on its first price after the redial', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ws1 = cold('ab#', v);
      const ws2 = cold('--cd', v); // redialled at 2 + 4 = 6: prices at 8 and 9
      const rest = cold('r 3ms s 3ms t', v); // polled from 2: r at 2, s at 6, t would be at 10
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: [ws1, ws2] }),
        scripted('rest', { [SYM]: [rest] }),
        {
          maxPriceAgeMs: 5,
          backoff,
          scheduler,
        },
      );
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 11ms !').toBe('abr 3ms s-cd', v);
      expectSubscriptions(ws1.subscriptions).toBe('^-!');
      expectSubscriptions(ws2.subscriptions).toBe('6ms ^ 5ms !');
      // Polling stops as soon as the WebSocket speaks again: t is never fetched.
      expectSubscriptions(rest.subscriptions).toBe('--^-----!');
    });
    expect(log?.switches).toEqual([
      { symbol: SYM, from: 'websocket', to: 'rest', ts: 2, reason: 'error' },
      { symbol: SYM, from: 'rest', to: 'websocket', ts: 8, reason: 'recovered' },
    ]);
    expect(log?.failures).toEqual([
      { symbol: SYM, source: 'websocket', ts: 2, attempt: 1, retryInMs: 4 },
    ]);
  });

  it('drops a silent WebSocket at maxPriceAgeMs, redials it with backoff and returns when it speaks', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    let source: FallbackSource | undefined;
    let ws: ReturnType<typeof scripted> | undefined;
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // A half-open socket: one price at 0, then silence without an error. A fresh
      // subscription (the redial at 5 + 4 = 9) delivers again: c at 11.
      const ws1 = cold<PriceTick>('a', v);
      const ws2 = cold('--c', v);
      const rest = cold('r 3ms s 3ms t', v); // polled from 5: r at 5, s at 9, t would be at 13
      ws = scripted('websocket', { [SYM]: [ws1, ws2] });
      source = new FallbackSource(ws, scripted('rest', { [SYM]: [rest] }), {
        maxPriceAgeMs: 5,
        backoff,
        scheduler,
      });
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 12ms !').toBe('a 4ms r 3ms s-c', v);
      // The silent socket is dropped at 5, not left subscribed; polling stops at the return.
      expectSubscriptions(ws1.subscriptions).toBe('^ 4ms !');
      expectSubscriptions(ws2.subscriptions).toBe('9ms ^ 3ms !');
      expectSubscriptions(rest.subscriptions).toBe('5ms ^ 5ms !');
    });
    expect(log?.switches).toEqual([
      { symbol: SYM, from: 'websocket', to: 'rest', ts: 5, reason: 'silent' },
      { symbol: SYM, from: 'rest', to: 'websocket', ts: 11, reason: 'recovered' },
    ]);
    expect(log?.failures).toEqual([
      { symbol: SYM, source: 'websocket', ts: 5, attempt: 1, retryInMs: 4 },
    ]);
    expect(ws?.dials[SYM]).toBe(2);
    expect(source?.switchCount(SYM)).toBe(2);
    expect(source?.mode(SYM)).toBeUndefined(); // nobody subscribed any more
  });

  it('treats a WebSocket that connects but never speaks as silent, and keeps redialling it', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    let ws: ReturnType<typeof scripted> | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      ws = scripted('websocket', {});
      const source = new FallbackSource(ws, scripted('rest', { [SYM]: [cold('r', v)] }), {
        maxPriceAgeMs: 5,
        backoff,
        scheduler,
      });
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 29ms !').toBe('5ms r', v);
    });
    expect(log?.switches.map((s) => [s.ts, s.reason])).toEqual([[5, 'silent']]);
    // Dials at 0, 9 (5 + 4) and 22 (14 + 8); each redial is silent again after 5 ms.
    expect(log?.failures.map((f) => [f.ts, f.attempt, f.retryInMs])).toEqual([
      [5, 1, 4],
      [14, 2, 8],
      [27, 3, 10],
    ]);
    expect(ws?.dials[SYM]).toBe(3);
  });

  it('redials with growing, capped delays while the WebSocket keeps failing, switching only once', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const fails = [
        cold<PriceTick>('#'),
        cold<PriceTick>('#'),
        cold<PriceTick>('#'),
        cold<PriceTick>('#'),
      ];
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: fails }),
        scripted('rest', { [SYM]: [cold('r', v)] }),
        { maxPriceAgeMs: 5, backoff, scheduler },
      );
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 39ms !').toBe('r', v);
    });
    // Dials at 0, 4 (+4), 12 (+8), 22 (+10, capped), 32 (+10); the last one is silent, so it
    // fails too, 5 ms later.
    expect(log?.failures.map((f) => [f.source, f.ts, f.attempt, f.retryInMs])).toEqual([
      ['websocket', 0, 1, 4],
      ['websocket', 4, 2, 8],
      ['websocket', 12, 3, 10],
      ['websocket', 22, 4, 10],
      ['websocket', 37, 5, 10],
    ]);
    expect(log?.switches).toHaveLength(1);
  });

  it('starts the backoff over once the WebSocket has delivered a price', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: [cold('#'), cold('a#', v)] }),
        scripted('rest', { [SYM]: [cold('r', v), cold('s', v)] }),
        { maxPriceAgeMs: 5, backoff, scheduler },
      );
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 11ms !').toBe('r 3ms as', v);
    });
    expect(log?.failures.map((f) => [f.ts, f.attempt, f.retryInMs])).toEqual([
      [0, 1, 4],
      [5, 1, 4], // not attempt 2 / 8 ms: the price at 4 proved the socket healthy
    ]);
  });

  it('retries a failing REST poll with backoff instead of ending the feed', () => {
    const scheduler = newScheduler();
    let log: ReturnType<typeof record> | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: [cold('#')] }),
        scripted('rest', { [SYM]: [cold('r#', v), cold('s', v)] }),
        { maxPriceAgeMs: 5, backoff, scheduler },
      );
      log = record(source);
      expectObservable(source.ticks(SYM), '^ 9ms !').toBe('r 4ms s', v);
    });
    expect(log?.failures.map((f) => [f.source, f.ts, f.attempt])).toEqual([
      ['websocket', 0, 1],
      ['rest', 1, 1],
      ['websocket', 9, 2], // the redial at 4 never speaks: silent at 9
    ]);
  });

  it('completes when the WebSocket source completes, without polling', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const rest = cold('r', v);
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: [cold('|')] }),
        scripted('rest', { [SYM]: [rest] }),
        {
          maxPriceAgeMs: 5,
          backoff,
          scheduler,
        },
      );
      expectObservable(source.ticks(SYM)).toBe('|');
      expectSubscriptions(rest.subscriptions).toBe([]);
    });
  });

  it('tears down both legs and every timer when the last consumer leaves during a fallback', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const ws = cold('a#', v);
      const rest = cold('r 2ms s 2ms t 2ms u', v);
      const source = new FallbackSource(
        scripted('websocket', { [SYM]: [ws] }),
        scripted('rest', { [SYM]: [rest] }),
        {
          maxPriceAgeMs: 5,
          backoff,
          scheduler,
        },
      );
      expectObservable(source.ticks(SYM), '^ 3ms !').toBe('ar', v);
      expectSubscriptions(rest.subscriptions).toBe('-^--!');
    });
    // The pending redial (due at 5) was cancelled too: nothing is left to run.
    expect(scheduler.actions).toHaveLength(0);
  });

  it('serves many consumers of a symbol from one WebSocket subscription, and symbols independently', () => {
    const scheduler = newScheduler();
    let dials: Record<string, number> = {};
    let log: ReturnType<typeof record> | undefined;
    scheduler.run(({ cold, expectObservable }) => {
      const ws = scripted('websocket', { BTC: [cold('a--b', v)], ETH: [cold('c#', v)] });
      dials = ws.dials;
      const source = new FallbackSource(ws, scripted('rest', { ETH: [cold('s', v)] }), {
        maxPriceAgeMs: 5,
        backoff,
        scheduler,
      });
      log = record(source);
      expectObservable(source.ticks('BTC'), '^ 4ms !').toBe('a--b', v);
      expectObservable(source.ticks('BTC'), '^ 4ms !').toBe('a--b', v);
      expectObservable(source.ticks('ETH'), '^ 4ms !').toBe('cs', v);
    });
    expect(dials).toEqual({ BTC: 1, ETH: 1 });
    // ETH's failure switched ETH alone.
    expect(log?.switches.map((s) => s.symbol)).toEqual(['ETH']);
  });
});
