import { describe, expect, it } from 'vitest';
import { activationReason, activationRule } from '../../src/domain/activation.ts';
import type { ActivationPolicy, ActivationReason, Side } from '../../src/domain/types.ts';
import { frameOf, signed } from './frameOf.ts';

type Row = [
  note: string,
  policy: ActivationPolicy | undefined,
  side: Side,
  ts: number,
  price: string,
  expected: ActivationReason | undefined,
];

describe('activationReason (entry 100, opened at 0)', () => {
  const rows: Row[] = [
    ['no block means immediate', undefined, 'long', 0, '99', 'immediate'],
    ['immediate: true', { immediate: true }, 'short', 0, '101', 'immediate'],
    [
      'long: exactly on the activation price activates',
      { price: '105' },
      'long',
      1,
      '105',
      'price',
    ],
    [
      'long: one cent below the activation price waits',
      { price: '105' },
      'long',
      1,
      '104.99',
      undefined,
    ],
    [
      'short: exactly on the activation price activates',
      { price: '95' },
      'short',
      1,
      '95',
      'price',
    ],
    ['short: above the activation price waits', { price: '95' }, 'short', 1, '95.01', undefined],
    ['long: profit exactly 2 % activates', { profitPercent: '2' }, 'long', 1, '102', 'profit'],
    ['long: profit 1.99 % waits', { profitPercent: '2' }, 'long', 1, '101.99', undefined],
    ['short: profit exactly 2 % activates', { profitPercent: '2' }, 'short', 1, '98', 'profit'],
    ['short: a rising price is a loss', { profitPercent: '2' }, 'short', 1, '102', undefined],
    [
      'time: exactly afterSeconds elapsed activates',
      { afterSeconds: '60' },
      'long',
      60_000,
      '90',
      'time',
    ],
    ['time: 1 ms early waits', { afterSeconds: '60' }, 'long', 59_999, '90', undefined],
    [
      'time with minProfit met',
      { afterSeconds: '60', minProfitPercent: '0.2' },
      'long',
      60_000,
      '100.2',
      'time',
    ],
    [
      'time with minProfit missed',
      { afterSeconds: '60', minProfitPercent: '0.2' },
      'long',
      60_000,
      '100.19',
      undefined,
    ],
    [
      'short time with minProfit met',
      { afterSeconds: '60', minProfitPercent: '0.2' },
      'short',
      60_000,
      '99.8',
      'time',
    ],
    [
      'price wins over profit (SPEC order)',
      { price: '101', profitPercent: '1' },
      'long',
      1,
      '101',
      'price',
    ],
    [
      'profit wins over time',
      { profitPercent: '1', afterSeconds: '0' },
      'long',
      1,
      '101',
      'profit',
    ],
    ['fractional seconds', { afterSeconds: '0.5' }, 'long', 500, '100', 'time'],
  ];
  it.each(rows)('%s', (_note, policy, side, ts, price, expected) => {
    const frame = frameOf('100', side, '0.01', [price]);
    const rule = activationRule(policy, frame, 0);
    expect(activationReason(rule, ts, signed(frame, price))).toBe(expected);
  });
});
