import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  RejectionCounters,
  validatedSource,
  validateTicks,
} from '../../src/streams/validateTicks.ts';
import type { PriceTick, TickRejection } from '../../src/streams/priceTick.ts';
import { newScheduler, tick } from './helpers.ts';

describe('validateTicks', () => {
  it('forwards valid ticks unchanged and reports each bad one with its reason', () => {
    const rejected: TickRejection[] = [];
    const counters = new RejectionCounters();
    const v = {
      a: tick(1, '100'),
      b: tick(2, '-4'),
      c: tick(3, '101'),
      d: tick(2, '102'), // older than c
      e: tick(3, 'NaN'),
      f: tick(3, '103'), // same ts as c: fine
    };
    newScheduler().run(({ cold, expectObservable }) => {
      const out = cold('abcdef|', v).pipe(
        validateTicks({ counters, onRejected: (r) => rejected.push(r) }),
      );
      expectObservable(out).toBe('a-c--f|', v);
    });
    expect(rejected).toEqual([
      { ...v.b, why: 'not positive' },
      { ...v.d, why: 'out of order' },
      { ...v.e, why: 'not a number' },
    ]);
    expect(counters.snapshot()).toEqual({
      'BTC/USDT:USDT': { 'not positive': 1, 'out of order': 1, 'not a number': 1 },
    });
    expect(counters.total()).toBe(3);
  });

  it('judges order per symbol, so interleaved symbols are not out of order', () => {
    const counters = new RejectionCounters();
    const v = {
      a: tick(10, '1', 'BTC'),
      b: tick(5, '2', 'ETH'),
      c: tick(9, '3', 'BTC'),
      d: tick(5, '4', 'ETH'),
    };
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('abcd|', v).pipe(validateTicks({ counters }))).toBe('ab-d|', v);
    });
    expect(counters.count('BTC', 'out of order')).toBe(1);
    expect(counters.count('ETH', 'out of order')).toBe(0);
    expect(counters.total('ETH')).toBe(0);
  });

  it('rejects exactly the ticks the SPEC example rejects, with the same reasons', () => {
    const url = new URL('../../examples/spec/bad-ticks-and-ticks-distance.json', import.meta.url);
    const scenario = JSON.parse(readFileSync(url, 'utf8')) as { ticks: [number, string][] };
    const expected = readFileSync(
      new URL('../../examples/spec/bad-ticks-and-ticks-distance.expected.jsonl', import.meta.url),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; ts?: number; why?: string })
      .filter((e) => e.type === 'tickRejected')
      .map((e) => ({ ts: e.ts, why: e.why }));
    const rejected: { ts: number; why: string }[] = [];
    const accepted: number[] = [];
    newScheduler().run(({ cold }) => {
      const ticks = scenario.ticks.map(([ts, price]) => tick(ts, price));
      const letters = ticks.map((_, i) => String.fromCharCode(97 + i));
      const values: Record<string, PriceTick> = {};
      ticks.forEach((t, i) => (values[letters[i] ?? '?'] = t));
      cold(`${letters.join('')}|`, values)
        .pipe(validateTicks({ onRejected: (r) => rejected.push({ ts: r.ts, why: r.why }) }))
        .subscribe((t) => accepted.push(t.ts));
    });
    expect(rejected).toEqual(expected);
    expect(accepted).toEqual([1000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
  });

  it('completes at once on an empty source', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<PriceTick>('|').pipe(validateTicks())).toBe('|');
    });
  });

  it('forwards an error after the ticks before it', () => {
    const v = { a: tick(1, '1') };
    newScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a#', v, new Error('boom')).pipe(validateTicks())).toBe(
        'a#',
        v,
        new Error('boom'),
      );
    });
  });

  it('errors the stream when the side channel throws, rather than hiding the rejection', () => {
    const v = { a: tick(1, 'NaN') };
    const broken = new Error('sink down');
    newScheduler().run(({ cold, expectObservable }) => {
      const out = cold('a|', v).pipe(
        validateTicks({
          onRejected: () => {
            throw broken;
          },
        }),
      );
      expectObservable(out).toBe('#', undefined, broken);
    });
  });

  it('unsubscribes from its source when the consumer leaves early', () => {
    const v = { a: tick(1, '1'), b: tick(2, '2'), c: tick(3, '3') };
    newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('a-b-c|', v);
      expectObservable(source.pipe(validateTicks()), '^--!').toBe('a-b', v);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('starts each subscription with a fresh order history', () => {
    const v = { a: tick(5, '1'), b: tick(6, '2') };
    const counters = new RejectionCounters();
    newScheduler().run(({ cold, expectObservable }) => {
      const once = cold('ab|', v).pipe(validateTicks({ counters }));
      // Replaying the same source twice would reject a's second run if history leaked.
      expectObservable(once).toBe('ab|', v);
      expectObservable(once).toBe('ab|', v);
    });
    expect(counters.total()).toBe(0);
  });
});

describe('validatedSource', () => {
  it('validates each symbol once however many consumers, so a bad tick is counted once', () => {
    const counters = new RejectionCounters();
    const v = { a: tick(1, '1'), b: tick(2, '0'), c: tick(3, '3') };
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const raw = cold('abc|', v);
      const source = validatedSource({ kind: 'replay', ticks: () => raw }, { counters });
      expectObservable(source.ticks('BTC/USDT:USDT')).toBe('a-c|', v);
      expectObservable(source.ticks('BTC/USDT:USDT')).toBe('a-c|', v);
      expectSubscriptions(raw.subscriptions).toBe('^--!');
    });
    expect(counters.count('BTC/USDT:USDT', 'not positive')).toBe(1);
  });
});
