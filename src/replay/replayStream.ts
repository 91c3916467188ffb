import type { PositionEvent, ReplaySummary, Tick } from '../domain/types.ts';
import type { PositionContext, PositionInput } from '../machines/positionContext.ts';
import { ReplayDriver } from './replayDriver.ts';

/** The end of a streamed replay: its summary, final context and how many ticks were sent. */
export interface StreamedReplay {
  readonly summary: ReplaySummary;
  readonly context: PositionContext;
  readonly ticksProcessed: number;
}

// Ticks per PRICES delivery: large enough that the statechart's cost per event is spread
// over many quiet ticks, small enough that a delivery is one cache-friendly slice.
const DELIVERY = 1024;

/**
 * Returns the outcome of sending the ticks of `batches` to a position actor in deliveries
 * (PRICES), handing every event to `onEvent` the moment it is produced. Nothing is kept per
 * tick, so memory stays flat however long the series; reading stops at the exit, which also
 * closes the source.
 */
export async function replayStream(
  input: PositionInput,
  batches: AsyncIterable<readonly Tick[]> | Iterable<readonly Tick[]>,
  onEvent: (event: PositionEvent) => void,
): Promise<StreamedReplay> {
  const driver = new ReplayDriver({ input }, { onEvent, deliveries: DELIVERY });
  await driver.sendBatches(batches);
  const { summary, context } = driver.finish();
  return { summary, context, ticksProcessed: driver.ticksSent };
}
