import { describe, expect, it } from 'vitest';
import { millisOf, parseDecimal } from '../../src/config/decimals.ts';
import { NumberText } from '../../src/config/numberText.ts';

/** The timestamp the decimal parse gives, which plain integer literals skip. */
function byDecimal(text: string): number | undefined {
  const value = parseDecimal(text);
  if (value === undefined || !value.isInteger() || !Number.isSafeInteger(value.toNumber()))
    return undefined;
  return value.toNumber() + 0;
}

describe('millisOf', () => {
  it.each([
    ['0'],
    ['-0'], // no sign of zero
    ['007'], // leading zeros
    ['1700000000000'],
    ['999999999999999'], // 15 digits: the longest plain literal
    ['9007199254740991'], // 16 digits: the decimal path
    ['9007199254740993'], // past 2^53: refused
    ['-12'],
    ['1e3'],
    ['100.0'],
    ['100.5'],
    [' 12'],
    ['12 '],
    [''],
    ['-'],
    ['abc'],
  ])('reads %j as the decimal parse does, literal or string', (text) => {
    expect(millisOf(new NumberText(text))).toBe(byDecimal(text));
    expect(millisOf(text)).toBe(byDecimal(text));
  });

  it('reads -0 as 0', () => {
    expect(Object.is(millisOf(new NumberText('-0')), 0)).toBe(true);
  });
});
