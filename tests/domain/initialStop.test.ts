import { describe, expect, it } from 'vitest';
import { initialStop } from '../../src/domain/initialStop.ts';
import type { InitialStopPolicy, Side } from '../../src/domain/types.ts';
import { frameOf, textOf } from './frameOf.ts';

describe('initialStop', () => {
  const rows: [
    policy: InitialStopPolicy,
    entry: string,
    side: Side,
    tick: string,
    expected: string,
  ][] = [
    [{ percent: '2' }, '100', 'long', '0.0001', '98'], // SPEC SETE example
    [{ percent: '2' }, '1830', 'long', '0.5', '1793.5'], // 1793.4 rounds up to the tick
    [{ percent: '1.5' }, '64250', 'short', '0.1', '65213.7'], // 65213.75 rounds down for a short
    [{ percent: '10' }, '5000', 'long', '0.01', '4500'], // freqtrade tc8
    [{ price: '26.90' }, '27.50', 'long', '0.01', '26.9'], // absolute price
    [{ price: '30.004' }, '29.33', 'short', '0.01', '30'], // absolute price rounded toward the market
    [{ percent: '0.5' }, '2115.98', 'long', '0.01', '2105.41'], // 2105.4001 rounds up
  ];
  it.each(rows)('%j at entry %s (%s, tick %s) → %s', (policy, entry, side, tick, expected) => {
    const frame = frameOf(entry, side, tick);
    expect(textOf(frame, initialStop(policy, frame))).toBe(expected);
  });
});
