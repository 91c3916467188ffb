import { createActor } from 'xstate';
import { positionMachine } from '../machines/positionMachine.ts';
import type { PositionEvent, ReplaySummary, Tick } from '../domain/types.ts';
import type { PositionInput } from '../machines/positionContext.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import { summarize } from './replayScenario.ts';

/** The end of a streamed replay: its summary, final context and how many ticks were sent. */
export interface StreamedReplay {
  readonly summary: ReplaySummary;
  readonly context: PositionContext;
  readonly ticksProcessed: number;
}

/**
 * Returns the outcome of sending the ticks of `batches` one by one to a position actor, handing every event
 * to `onEvent` the moment it is produced. Nothing is kept per tick, so memory stays flat
 * however long the series; reading stops at the exit (the SPEC ignores later ticks), which
 * also closes the source.
 */
export async function replayStream(
  input: PositionInput,
  batches: AsyncIterable<readonly Tick[]> | Iterable<readonly Tick[]>,
  onEvent: (event: PositionEvent) => void,
): Promise<StreamedReplay> {
  const actor = createActor(positionMachine, { input });
  actor.on('*', onEvent);
  actor.start();
  let processed = 0;
  feed: for await (const batch of batches) {
    for (const tick of batch) {
      actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
      processed++;
      if (actor.getSnapshot().status !== 'active') break feed;
    }
  }
  const context = actor.getSnapshot().context;
  actor.stop();
  return { summary: summarize(context), context, ticksProcessed: processed };
}
