import { describe, expect, it } from 'vitest';

import { PollPace } from '../../src/streams/pollPace.ts';

describe('PollPace', () => {
  it('polls a symbol at its fastest lane, and slows down when that lane leaves', () => {
    const pace = new PollPace(1000);
    const seen: number[] = [];
    pace.intervalMs$('BTC').subscribe((ms) => seen.push(ms));
    pace.set('BTC', 'p1', 3000);
    pace.set('BTC', 'p2', 300); // p2 turned fast
    pace.set('ETH', 'p3', 100); // another symbol does not speed BTC up
    pace.set('BTC', 'p2', 3000); // p2 downgraded
    pace.clear('BTC', 'p1');
    pace.clear('BTC', 'p2');
    expect(seen).toEqual([1000, 3000, 300, 3000, 1000]);
    expect(pace.intervalMs('ETH')).toBe(100);
  });

  it('ignores pass-through lanes (interval 0) rather than polling in a busy loop', () => {
    const pace = new PollPace(1000);
    pace.set('BTC', 'p1', 0);
    expect(pace.intervalMs('BTC')).toBe(1000);
  });

  it('refuses a default that is not a positive number', () => {
    expect(() => new PollPace(0)).toThrow(RangeError);
  });
});
