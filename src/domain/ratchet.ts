import type { StopSource } from './types.ts';

/** A rule that offers stops. */
export type CandidateSource = Exclude<StopSource, 'initial'>;

/**
 * Returns which of this step's new candidates replaces the signed stop `stop` — the best one
 * (highest signed: highest for a long, lowest for a short; equal values go to trailing, then
 * elastic, then breakeven) when it is strictly better — or undefined for "no improvement": a
 * stop never loosens and an equal stop is not a move. A rule with no new candidate passes
 * −Infinity: a candidate that stood before is never better than the stop it already lost to.
 */
export function ratchet(
  stop: number,
  trailing: number,
  elastic: number,
  breakeven: number,
): CandidateSource | undefined {
  let best = trailing;
  let source: CandidateSource = 'trailing';
  if (elastic > best) {
    best = elastic;
    source = 'elastic';
  }
  if (breakeven > best) {
    best = breakeven;
    source = 'breakeven';
  }
  return best > stop ? source : undefined;
}
