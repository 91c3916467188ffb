import { describe, expect, it } from 'vitest';
import { tierIndex, trailingRule, trailingStop } from '../../src/domain/trailing.ts';
import type { Distance, Side, TrailingPolicy } from '../../src/domain/types.ts';
import { frameOf, signed, textOf } from './frameOf.ts';

describe('trailingStop per distance kind', () => {
  const rows: [
    note: string,
    policy: TrailingPolicy,
    extreme: string,
    side: Side,
    tick: string,
    expected: string,
  ][] = [
    [
      'percent, long (Nautilus BASIS_POINTS row: 50 bp of 102)',
      { percent: '0.5' },
      '102',
      'long',
      '0.01',
      '101.49',
    ],
    ['price, long (Nautilus PRICE row)', { price: '1' }, '102', 'long', '0.01', '101'],
    ['ticks, long (Nautilus TICKS row: 5 × 0.01)', { ticks: '5' }, '102', 'long', '0.01', '101.95'],
    ['percent, short', { percent: '0.8' }, '63900', 'short', '0.1', '64411.2'],
    ['price, short', { price: '0.12' }, '28.61', 'short', '0.01', '28.73'],
    ['ticks, short', { ticks: '12' }, '1846', 'short', '0.5', '1852'],
    ['percent rounds up for a long', { percent: '3' }, '5251', 'long', '0.01', '5093.47'],
    ['percent rounds down for a short', { percent: '3' }, '5251', 'short', '0.01', '5408.53'],
  ];
  it.each(rows)('%s', (_note, policy, extreme, side, tick, expected) => {
    const frame = frameOf(extreme, side, tick);
    const rule = trailingRule(policy, frame);
    expect(textOf(frame, trailingStop(rule, 0, false, signed(frame, extreme), frame))).toBe(
      expected,
    );
  });
});

describe('the distance in force: tiers and momentum (entry 100)', () => {
  const policy: TrailingPolicy = {
    percent: '2',
    tiers: [
      { fromProfitPercent: '1', percent: '1' },
      { fromProfitPercent: '3', price: '0.5' },
    ],
    momentum: { windowSeconds: '10', thresholdPercent: '1', releasePercent: '0.5', factor: '0.5' },
  };
  const rows: [
    note: string,
    peak: string,
    side: Side,
    accelerated: boolean,
    kind: string,
    size: string,
  ][] = [
    ['below the first tier: base distance', '100.99', 'long', false, 'percent', '2'],
    ['exactly on the first tier threshold: tier applies', '101', 'long', false, 'percent', '1'],
    ['between tiers: the first tier', '102.99', 'long', false, 'percent', '1'],
    ['on the second tier: the last tier that applies wins', '103', 'long', false, 'price', '0.5'],
    ['accelerated halves the tier distance', '103', 'long', true, 'price', '0.25'],
    ['accelerated halves the base distance', '100', 'long', true, 'percent', '1'],
    ['short peak 99 is 1 % profit: first tier', '99', 'short', false, 'percent', '1'],
    ['short peak 99.01 is below the first tier', '99.01', 'short', false, 'percent', '2'],
    ['short peak 97: second tier', '97', 'short', false, 'price', '0.5'],
  ];
  it.each(rows)('%s', (_note, peak, side, accelerated, kind, size) => {
    // The distance in force is seen through the candidate it gives behind an extreme of 200.
    const frame = frameOf('100', side, '0.0001', [peak]);
    const rule = trailingRule(policy, frame);
    const tier = tierIndex(rule, signed(frame, peak));
    const alone = trailingRule({ [kind]: size } as Distance, frame);
    const extreme = signed(frame, '200');
    expect(trailingStop(rule, tier, accelerated, extreme, frame)).toBe(
      trailingStop(alone, 0, false, extreme, frame),
    );
  });
});
