import {
  outcomePrice,
  stepPosition,
  type PositionSetup,
  type PositionState,
  type StepOutcome,
} from './stepPosition.ts';
import type { PositionEvent, Tick } from './types.ts';

/** What a run of ticks did before the first one that changes the statechart's state. */
export interface TicksOutcome {
  /** How many ticks (from `from`) left every region where it was. */
  readonly taken: number;
  /** Their changes, merged: what to write for all of them at once. */
  readonly changes: Partial<PositionState>;
  /** Their event lines (rejections, big jumps, moved stops), in order. */
  readonly events: readonly PositionEvent[];
  /**
   * The step of the tick after them when it changes a region or exits (computed on the
   * position as they left it), or undefined when they were the whole run.
   */
  readonly changing: StepOutcome | undefined;
}

/**
 * Returns the steps of `ticks[from…]` taken one after the other from `position`, as far as the
 * first tick that changes a region's state or exits: the ticks before it only move facts, so
 * they can be written in one go; that tick's own step is returned for the statechart to route.
 * `accelerated` is the momentum pace, which no tick of the run changes.
 */
export function stepTicks(
  position: PositionSetup & PositionState,
  ticks: readonly Tick[],
  from: number,
  accelerated: boolean,
): TicksOutcome {
  const changes: { -readonly [K in keyof PositionState]?: PositionState[K] } = {};
  const events: PositionEvent[] = [];
  // A working copy the steps read, updated with each step's changes.
  const state: {
    -readonly [K in keyof (PositionSetup & PositionState)]: (PositionSetup & PositionState)[K];
  } = {
    ...position,
  };
  for (let i = from; i < ticks.length; i++) {
    const tick = ticks[i] as Tick;
    const step = stepPosition(
      state,
      { type: 'PRICE', ts: tick.ts, price: tick.price },
      accelerated,
    );
    if (step.kind === 'rejected') {
      events.push({ type: 'tickRejected', ts: step.ts, why: step.why ?? 'not a number' });
      continue;
    }
    if (step.kind !== 'stepped' || step.changesState) {
      return { taken: i - from, changes, events, changing: step };
    }
    Object.assign(state, step.changes);
    Object.assign(changes, step.changes);
    if (step.bigJumpLock !== undefined)
      events.push({ type: 'bigJumpLocked', ts: step.ts, lock: step.bigJumpLock });
    if (step.moved !== undefined) {
      events.push({
        type: 'stopMoved',
        ts: step.ts,
        price: outcomePrice(step),
        stop: step.changes.stop as string,
        source: step.moved,
      });
    }
  }
  return { taken: ticks.length - from, changes, events, changing: undefined };
}
