import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fractionText, linearCeil, productAtLeast } from '../../src/domain/exactInt.ts';
import { Dec } from '../../src/domain/money.ts';
import {
  positionRules,
  sharedRulesCount,
  sharedRulesLimit,
} from '../../src/domain/positionRules.ts';
import { plainUnits, unitsText } from '../../src/domain/priceUnits.ts';
import type { Policy } from '../../src/domain/types.ts';

const seed = Number(process.env.RATCHET_TEST_SEED ?? 20_261_127);

describe('plainUnits reads plain decimals as whole units, or leaves them to the slow path', () => {
  it.each([
    ['100.05', 2, 10005],
    ['100.5', 2, 10050], // fewer places than the scale
    ['7', 4, 70000],
    ['0100.50', 2, 10050], // leading and trailing zeros
    ['0.0001', 4, 1],
    ['100.005', 2, Number.NaN], // finer than the scale
    ['1.77E+3', 2, Number.NaN], // exponent notation
    ['-4', 2, Number.NaN], // a sign
    [' 42', 2, Number.NaN], // spaces
    ['.5', 2, Number.NaN],
    ['5.', 2, Number.NaN],
    ['', 2, Number.NaN],
    ['12345678901234567', 0, Number.NaN], // more digits than stay exact
  ] as const)('%s at scale %i → %d', (text, scale, expected) => {
    expect(plainUnits(text, scale)).toBe(expected);
  });
});

describe('unitsText writes units as decimal.js toFixed() writes the same value', () => {
  it.each([
    [10005, 2, '100.05'],
    [10050, 2, '100.5'],
    [100, 2, '1'],
    [5, 4, '0.0005'],
    [-30, 1, '-3'],
    [0, 3, '0'],
    [-0, 3, '0'],
  ] as const)('%d at scale %i → %s', (units, scale, expected) => {
    expect(unitsText(units, scale)).toBe(expected);
  });
  it('agrees with decimal.js on random values (seeded)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 51), max: 2 ** 51 }),
        fc.integer({ min: 0, max: 15 }),
        (units, scale) => {
          const exact = new Dec(units).div(new Dec(10).pow(scale)).toFixed();
          expect(unitsText(units, scale)).toBe(exact);
          expect(fractionText(BigInt(units), scale)).toBe(exact);
          if (units >= 0 && exact.length <= 16)
            expect(plainUnits(exact, scale)).toBe(units === 0 ? 0 : units);
        },
      ),
      { seed, numRuns: 2000 },
    );
  });
});

describe('exact integer helpers', () => {
  it('linearCeil is ⌈(x·a + b) / c⌉ with and without BigInt (seeded)', () => {
    const big = (n: number) => BigInt(n);
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 51), max: 2 ** 51 }),
        fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
        fc.integer({ min: -(2 ** 51), max: 2 ** 51 }),
        fc.integer({ min: 1, max: 10 ** 12 }),
        (x, a, b, c) => {
          const n = big(x) * big(a) + big(b);
          const q = n / big(c);
          const ceil = n % big(c) !== 0n && n > 0n ? q + 1n : q;
          const expected = Number(ceil);
          if (Number.isSafeInteger(expected)) expect(linearCeil(x, a, b, c)).toBe(expected);
        },
      ),
      { seed, numRuns: 3000 },
    );
  });
  it('productAtLeast compares a·b with c·d exactly beyond 2^53', () => {
    // 2^52 + 1 times 3 is not a float; its exact comparison with (2^52 + 1)·3 − 1 must hold.
    const a = 2 ** 52 + 1;
    expect(productAtLeast(a, 3, 3 * 2 ** 52 + 2, 1)).toBe(true);
    expect(productAtLeast(a, 3, 3 * 2 ** 52 + 4, 1)).toBe(false);
  });
});

describe('rules shared by positions alike', () => {
  it('keep at most a bounded number of rule sets per policy', () => {
    const policy: Policy = { initialStop: { percent: '2' } };
    const limit = sharedRulesLimit();
    for (let i = 0; i < limit + 10; i++) {
      positionRules(
        { tickSize: '0.01' },
        { side: 'long', entryPrice: `${100 + i}`, quantity: '1', openedAt: 0 },
        policy,
        2,
      );
    }
    expect(sharedRulesCount(policy)).toBeGreaterThan(0);
    expect(sharedRulesCount(policy)).toBeLessThanOrEqual(limit);
  });
});
