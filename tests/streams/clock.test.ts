import { describe, expect, it } from 'vitest';

import { clock } from '../../src/streams/clock.ts';
import { newScheduler } from './helpers.ts';

describe('clock', () => {
  it('emits CLOCK every period with the scheduler time', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(clock(3, scheduler), '^ 9ms !').toBe('3ms a 2ms b 2ms c', {
        a: { type: 'CLOCK', ts: 3 },
        b: { type: 'CLOCK', ts: 6 },
        c: { type: 'CLOCK', ts: 9 },
      });
    });
  });

  it('defaults to one second', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(clock(undefined, scheduler), '^ 2000ms !').toBe('1000ms a 999ms b', {
        a: { type: 'CLOCK', ts: 1000 },
        b: { type: 'CLOCK', ts: 2000 },
      });
    });
  });

  it('leaves no timer behind once unsubscribed', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      expectObservable(clock(5, scheduler), '^ 3ms !').toBe('');
    });
    expect(scheduler.actions).toHaveLength(0);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses period %s', (period) => {
    expect(() => clock(period)).toThrow(RangeError);
  });
});
