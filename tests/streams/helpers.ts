/** Shared fixtures for the stream tests: a fresh TestScheduler per test, tick builders. */
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

import type { PriceTick } from '../../src/streams/priceTick.ts';

/** Returns a new TestScheduler whose assertions go through vitest's deep equality. */
export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
}

/** Returns a tick of BTC/USDT:USDT unless another symbol is given. */
export function tick(ts: number, price: string, symbol = 'BTC/USDT:USDT'): PriceTick {
  return { symbol, ts, price };
}
