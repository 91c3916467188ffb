import { describe, expect, it } from 'vitest';
import { ratchet, type CandidateSource } from '../../src/domain/ratchet.ts';
import type { Side } from '../../src/domain/types.ts';
import { frameOf, signed } from './frameOf.ts';

interface Candidate {
  readonly source: CandidateSource;
  readonly stop: string;
}
const c = (source: CandidateSource, stop: string): Candidate => ({ source, stop });

describe('ratchet', () => {
  const rows: [
    note: string,
    stop: string,
    candidates: Candidate[],
    side: Side,
    expected: [string, string] | undefined,
  ][] = [
    ['no candidates: no move', '98', [], 'long', undefined],
    [
      'a better candidate moves a long stop up',
      '98',
      [c('trailing', '99')],
      'long',
      ['trailing', '99'],
    ],
    ['an equal candidate is not a move', '99', [c('trailing', '99')], 'long', undefined],
    ['a looser candidate never moves the stop', '99', [c('trailing', '98.5')], 'long', undefined],
    [
      'the highest wins for a long',
      '98',
      [c('trailing', '99'), c('elastic', '99.5'), c('breakeven', '99.2')],
      'long',
      ['elastic', '99.5'],
    ],
    [
      'the lowest wins for a short',
      '102',
      [c('trailing', '101'), c('elastic', '100.5'), c('breakeven', '100.8')],
      'short',
      ['elastic', '100.5'],
    ],
    [
      'a tie goes to trailing first',
      '98',
      [c('breakeven', '99'), c('elastic', '99'), c('trailing', '99')],
      'long',
      ['trailing', '99'],
    ],
    [
      'then elastic before breakeven',
      '98',
      [c('breakeven', '99'), c('elastic', '99')],
      'long',
      ['elastic', '99'],
    ],
    [
      'short tie: trailing first',
      '102',
      [c('elastic', '101'), c('trailing', '101')],
      'short',
      ['trailing', '101'],
    ],
    ['a short stop never moves up', '101', [c('trailing', '101.5')], 'short', undefined],
  ];
  it.each(rows)('%s', (_note, stop, candidates, side, expected) => {
    const frame = frameOf('100', side, '0.01');
    const offer = (source: CandidateSource) => {
      const found = candidates.find((x) => x.source === source);
      return found === undefined ? Number.NEGATIVE_INFINITY : signed(frame, found.stop);
    };
    const source = ratchet(
      signed(frame, stop),
      offer('trailing'),
      offer('elastic'),
      offer('breakeven'),
    );
    const moved = candidates.find((x) => x.source === source);
    expect(moved === undefined ? undefined : [moved.source, moved.stop]).toEqual(expected);
  });
});
