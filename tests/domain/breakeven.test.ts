import { describe, expect, it } from 'vitest';
import { breakevenRule } from '../../src/domain/breakeven.ts';
import type { Side } from '../../src/domain/types.ts';
import { frameOf, signed, textOf } from './frameOf.ts';

describe('breakeven trigger (trigger 0.8 %, entry 27.50)', () => {
  const policy = { triggerPercent: '0.8', offsetPercent: '0.1' };
  it.each([
    ['27.72', 'long', true], // exactly 0.8 %: reached
    ['27.71', 'long', false], // 0.76 %: not yet
    ['27.76', 'long', true], // SPEC example tick
    ['27.28', 'short', true], // a short's 0.8 % is a fall to 27.28
    ['27.29', 'short', false],
    ['27.72', 'short', false], // a rise is a short's loss
  ] as const)('price %s (%s) → %s', (price, side, expected) => {
    const frame = frameOf('27.50', side, '0.01');
    expect(signed(frame, price) >= breakevenRule(policy, frame).trigger).toBe(expected);
  });
});

describe('breakeven stop', () => {
  const rows: [offset: string, side: Side, expected: string][] = [
    ['0.1', 'long', '27.53'], // 27.5275 rounds up
    ['0.1', 'short', '27.47'], // 27.4725 rounds down
    ['0', 'long', '27.5'], // plain breakeven
    ['0', 'short', '27.5'],
  ];
  it.each(rows)('offset %s (%s) → %s', (offset, side, expected) => {
    const policy = { triggerPercent: '0.8', offsetPercent: offset };
    const frame = frameOf('27.50', side, '0.01');
    expect(textOf(frame, breakevenRule(policy, frame).stop)).toBe(expected);
  });
});
