import { describe, expect, it } from 'vitest';
import {
  momentumAccelerates,
  momentumReference,
  momentumReleases,
  momentumRule,
} from '../../src/domain/momentum.ts';
import type { Side } from '../../src/domain/types.ts';
import { frameOf, signed } from './frameOf.ts';

const policy = momentumRule({
  windowSeconds: '30',
  thresholdPercent: '0.6',
  releasePercent: '0.2',
  factor: '0.5',
});

describe('momentumReference: the oldest tick in the window', () => {
  // [ts, price in units] pairs, flat.
  const buffer = [1000, 64200, 2000, 64100, 5000, 63900, 31000, 63300];
  it.each([
    [5000, '64200'], // all ticks in the window
    [31000, '64200'], // ts 1000 ≥ 31000 − 30000: exactly on the window edge is inside
    [31001, '64100'], // ts 1000 just left the window
    [35000, '63900'],
  ])('at %i → %s', (now, expected) => {
    expect(String(momentumReference(policy, buffer, now))).toBe(expected);
  });
  it('an empty buffer has no reference', () => {
    expect(momentumReference(policy, [], 0)).toBeNaN();
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
    const frame = frameOf('100', side, '0.01');
    const [p, ref] = [signed(frame, price), signed(frame, '100')];
    const refUnits = frame.sign * ref;
    expect(momentumAccelerates(policy, p, ref, refUnits)).toBe(accelerates);
    expect(momentumReleases(policy, p, ref, refUnits)).toBe(releases);
  });
});
