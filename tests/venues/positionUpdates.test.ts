import { describe, expect, it } from 'vitest';
import { PositionUpdates } from '../../src/venues/ccxt/positionUpdates.ts';

describe('PositionUpdates', () => {
  it('hands every change once, in arrival order', () => {
    const q = new PositionUpdates<number>();
    q.push([1, 2]);
    q.push([3]);
    expect(q.take()).toEqual([1, 2, 3]);
    expect(q.take()).toEqual([]);
  });

  it('stays within its capacity, dropping and counting the oldest, through 100 000 changes', () => {
    const q = new PositionUpdates<number>(1000);
    for (let i = 0; i < 100_000; i++) {
      q.push([i]);
      expect(q.size).toBeLessThanOrEqual(1000);
    }
    expect(q.dropped).toBe(99_000);
    expect(q.take()).toEqual(Array.from({ length: 1000 }, (_, i) => 99_000 + i));
  });
});
