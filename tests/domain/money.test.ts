import { describe, expect, it } from 'vitest';
import { Dec, parseDecimal, roundStop } from '../../src/domain/money.ts';
import type { Side } from '../../src/domain/types.ts';

describe('roundStop rounds toward the market', () => {
  const rows: [value: string, tick: string, side: Side, expected: string][] = [
    ['1793.4', '0.5', 'long', '1793.5'], // a long's stop rounds up
    ['1793.4', '0.5', 'short', '1793'], // a short's stop rounds down
    ['65213.75', '0.1', 'short', '65213.7'], // SPEC example: short initial stop
    ['65213.75', '0.1', 'long', '65213.8'],
    ['100.0336', '0.0001', 'long', '100.0336'], // already on a tick: unchanged
    ['100.0336', '0.0001', 'short', '100.0336'],
    ['27.5275', '0.01', 'long', '27.53'],
    ['27.4725', '0.01', 'short', '27.47'],
    ['100.03333333333333333333', '0.0001', 'long', '100.0334'], // non-terminating quotient
  ];
  it.each(rows)('%s on tick %s for a %s → %s', (value, tick, side, expected) => {
    expect(roundStop(new Dec(value), new Dec(tick), side).toFixed()).toBe(expected);
  });
});

describe('parseDecimal accepts decimal text only', () => {
  it.each([
    ['100.5', '100.5'],
    ['1.77E+3', '1770'], // exponent notation is a number
    [' 42 ', '42'],
    ['-4', '-4'], // negative parses; positivity is a separate check
    ['.5', '0.5'],
  ])('%s → %s', (text, expected) => {
    expect(parseDecimal(text)?.toFixed()).toBe(expected);
  });
  it.each([
    'NaN',
    'Infinity',
    '-Infinity',
    '',
    'abc',
    '1,5',
    '0x10',
    '1e',
    '1e999999999',
    '1e-2000',
  ])('%s → undefined', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
  it('never sees binary-float noise: 0.1 + 0.2 is exactly 0.3', () => {
    expect(new Dec('0.1').plus('0.2').toFixed()).toBe('0.3');
  });
});
