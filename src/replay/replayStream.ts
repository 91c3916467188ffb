import type { PositionEvent, ReplaySummary, Tick } from '../domain/types.ts';
import type { PositionContext, PositionInput } from '../machines/positionContext.ts';
import { ReplayDriver } from './replayDriver.ts';

/** The end of a streamed replay: its summary, final context and how many ticks were sent. */
export interface StreamedReplay {
  readonly summary: ReplaySummary;
  readonly context: PositionContext;
  readonly ticksProcessed: number;
}

/**
 * Returns the outcome of sending the ticks of `batches` to a position actor, handing every
 * event to `onEvent` the moment it is produced. Nothing is kept per tick, so memory stays flat
 * however long the series; reading stops at the exit, which also closes the source.
 */
export async function replayStream(
  input: PositionInput,
  batches: AsyncIterable<readonly Tick[]> | Iterable<readonly Tick[]>,
  onEvent: (event: PositionEvent) => void,
): Promise<StreamedReplay> {
  const driver = new ReplayDriver({ input }, { onEvent });
  await driver.sendBatches(batches);
  const { summary, context } = driver.finish();
  return { summary, context, ticksProcessed: driver.ticksSent };
}
