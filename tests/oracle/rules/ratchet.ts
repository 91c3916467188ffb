import { tighter, type Dec } from './money.ts';
import type { Side, StopSource } from '../../../src/domain/types.ts';

/** A stop one rule offers on this tick. */
export interface Candidate {
  readonly source: Exclude<StopSource, 'initial'>;
  readonly stop: Dec;
}

/** The order that settles equal candidates (SPEC step 7): trailing, then elastic, then breakeven. */
const TIE_ORDER: readonly Candidate['source'][] = ['trailing', 'elastic', 'breakeven'];

/**
 * Returns the candidate that replaces `stop` — the best one (highest for a long, lowest for a
 * short; ties by {@link TIE_ORDER}) when it is strictly better — or undefined for "no
 * improvement": a stop never loosens and an equal stop is not a move.
 */
export function ratchet(
  stop: Dec,
  candidates: readonly Candidate[],
  side: Side,
): Candidate | undefined {
  let best: Candidate | undefined;
  for (const source of TIE_ORDER) {
    const offer = candidates.find((c) => c.source === source);
    if (offer !== undefined && (best === undefined || tighter(offer.stop, best.stop, side)))
      best = offer;
  }
  return best !== undefined && tighter(best.stop, stop, side) ? best : undefined;
}
