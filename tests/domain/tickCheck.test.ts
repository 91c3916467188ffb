import { describe, expect, it } from 'vitest';
import { checkTick } from '../../src/domain/tickCheck.ts';

describe('checkTick: SPEC step 0', () => {
  // One row per case: ts, price text, last accepted ts, expected reason (undefined: accepted).
  const rows: [ts: number, price: string, last: number | undefined, why: string | undefined][] = [
    [1, '100.5', undefined, undefined], // first tick: nothing to be out of order with
    [1, 'NaN', undefined, 'not a number'],
    [1, 'Infinity', undefined, 'not a number'], // decimal.js would parse it; not a price
    [1, '0x10', undefined, 'not a number'], // hex is accepted by decimal.js; not a price
    [1, ' 1.5 ', undefined, undefined], // padded text is read as its number
    [1, '', undefined, 'not a number'],
    [1, '1,5', undefined, 'not a number'],
    [1, '1e99999', undefined, 'not a number'], // finite, but no price is written like that
    [1, '0', undefined, 'not positive'],
    [1, '-0', undefined, 'not positive'],
    [1, '-4', undefined, 'not positive'],
    [1, '-4', 5, 'not positive'], // price is checked before order, as the SPEC lists them
    [1, '1e-8', undefined, undefined], // tiny but positive
    [4, '101', 5, 'out of order'],
    [5, '101', 5, undefined], // same ts as the last accepted: accepted
    [Number.NaN, '101', undefined, 'not a number'], // a ts that is no number
    [Number.NaN, '101', 5, 'not a number'], // …is not "out of order": it has no order
    [Number.NaN, '-4', undefined, 'not a number'], // not a number comes first
    [Number.POSITIVE_INFINITY, '101', 5, 'not a number'],
    [Number.NEGATIVE_INFINITY, '101', undefined, 'not a number'],
    [-1, '101', undefined, undefined], // before the epoch is still a time
  ];
  it.each(rows)('ts %d, price %j after %j → %j', (ts, price, last, why) => {
    expect(checkTick({ ts, price }, last).why).toBe(why);
  });

  it('hands back the exact price of an accepted tick', () => {
    expect(checkTick({ ts: 1, price: '100.10' }, undefined).price?.toFixed()).toBe('100.1');
    expect(checkTick({ ts: 1, price: '-1' }, undefined).price).toBeUndefined();
  });
});
