import { describe, expect, it } from 'vitest';
import { positionMemo } from '../../src/domain/positionRules.ts';
import { pushWindow } from '../../src/domain/window.ts';
import type { Market, Policy, PositionSpec } from '../../src/domain/types.ts';

const market: Market = { tickSize: '0.01' };
const policy: Policy = { initialStop: { percent: '2' } };
const spec = (entryPrice: string): PositionSpec => ({
  side: 'long',
  entryPrice,
  quantity: '1',
  openedAt: 0,
});

describe('a position memo', () => {
  it('stays each position’s own when steps of several positions interleave', () => {
    const a = spec('100');
    const b = spec('200');
    const memoA = positionMemo(market, a, policy, 2);
    const memoB = positionMemo(market, b, policy, 2);
    expect(memoB).not.toBe(memoA);
    for (let i = 0; i < 3; i++) {
      expect(positionMemo(market, a, policy, 2)).toBe(memoA);
      expect(positionMemo(market, a, policy, 2)).toBe(memoA);
      expect(positionMemo(market, b, policy, 2)).toBe(memoB);
    }
  });

  it('is made anew when the same position is asked at another scale, policy or market', () => {
    const a = spec('100');
    const coarse = positionMemo(market, a, policy, 2);
    const fine = positionMemo(market, a, policy, 4);
    expect(fine).not.toBe(coarse);
    expect(fine.rules.frame.scale).toBe(4);
    const otherPolicy: Policy = { initialStop: { percent: '3' } };
    const byPolicy = positionMemo(market, a, otherPolicy, 4);
    expect(byPolicy).not.toBe(fine);
    expect(byPolicy.policy).toBe(otherPolicy);
    const otherMarket: Market = { tickSize: '0.01' };
    const byMarket = positionMemo(otherMarket, a, otherPolicy, 4);
    expect(byMarket).not.toBe(byPolicy);
    expect(byMarket.market).toBe(otherMarket);
    // Another position in between, then the first again: still its latest memo.
    positionMemo(market, spec('300'), policy, 2);
    expect(positionMemo(otherMarket, a, otherPolicy, 4)).toBe(byMarket);
  });
});

describe('pushWindow', () => {
  it('returns a new window with the tick appended and ticks older than the window dropped', () => {
    const window = [1000, 10, 2000, 11, 3000, 12];
    const next = pushWindow(window, 3500, 13, 1500);
    expect(next).toEqual([2000, 11, 3000, 12, 3500, 13]);
    expect(window).toEqual([1000, 10, 2000, 11, 3000, 12]);
    expect(pushWindow([], 10, 5, 0)).toEqual([10, 5]);
    expect(pushWindow(window, 9000, 14, 100)).toEqual([9000, 14]);
    expect(pushWindow(window, 9000, 14, -1)).toEqual([]);
  });
});
