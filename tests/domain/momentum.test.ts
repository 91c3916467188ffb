import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/domain/money.ts';
import {
  momentumAccelerates,
  momentumReference,
  momentumReleases,
} from '../../src/domain/momentum.ts';
import type { WindowTick } from '../../src/domain/window.ts';
import type { Side } from '../../src/domain/types.ts';

const policy = {
  windowSeconds: '30',
  thresholdPercent: '0.6',
  releasePercent: '0.2',
  factor: '0.5',
};

describe('momentumReference: the oldest tick in the window', () => {
  const buffer: WindowTick[] = [
    [1000, '64200'],
    [2000, '64100'],
    [5000, '63900'],
    [31000, '63300'],
  ];
  it.each([
    [5000, '64200'], // all ticks in the window
    [31000, '64200'], // ts 1000 ≥ 31000 − 30000: exactly on the window edge is inside
    [31001, '64100'], // ts 1000 just left the window
    [35000, '63900'],
  ])('at %i → %s', (now, expected) => {
    expect(momentumReference(policy, buffer, now)?.toFixed()).toBe(expected);
  });
  it('an empty buffer has no reference', () => {
    expect(momentumReference(policy, [], 0)).toBeUndefined();
  });
});

describe('momentum thresholds (ref 100)', () => {
  const rows: [note: string, price: string, side: Side, accelerates: boolean, releases: boolean][] =
    [
      ['long +0.6 % exactly: accelerates', '100.6', 'long', true, false],
      ['long +0.59 %: not yet', '100.59', 'long', false, false],
      [
        'long +0.2 % exactly: not released (release is strictly below)',
        '100.2',
        'long',
        false,
        false,
      ],
      ['long +0.19 %: released', '100.19', 'long', false, true],
      ['short −0.6 % exactly: accelerates', '99.4', 'short', true, false],
      ['short −0.19 %: released', '99.81', 'short', false, true],
      ['short rising price: released', '100.5', 'short', false, true],
    ];
  it.each(rows)('%s', (_note, price, side, accelerates, releases) => {
    expect(momentumAccelerates(policy, new Dec(price), new Dec('100'), side)).toBe(accelerates);
    expect(momentumReleases(policy, new Dec(price), new Dec('100'), side)).toBe(releases);
  });
});
