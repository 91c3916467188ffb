import {
  announceInPlace,
  stepOwnedWindow,
  trimWindow,
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
  // A working copy the steps read, updated with each step's changes. Its window is its own,
  // so each tick is appended in place; it is trimmed once, when the run ends.
  const state: {
    -readonly [K in keyof (PositionSetup & PositionState)]: (PositionSetup & PositionState)[K];
  } = { ...position, window: position.window.slice() };
  const trimmed = (): Partial<PositionState> =>
    changes.window === undefined || state.lastTs === null
      ? changes
      : { ...changes, window: trimWindow(state, state.lastTs) };
  for (let i = from; i < ticks.length; i++) {
    const tick = ticks[i] as Tick;
    const step = stepOwnedWindow(
      state,
      { type: 'PRICE', ts: tick.ts, price: tick.price },
      accelerated,
    );
    if (step.kind === 'rejected') {
      events.push({ type: 'tickRejected', ts: step.ts, why: step.why ?? 'not a number' });
      continue;
    }
    if (step.kind !== 'stepped' || step.changesState) {
      // Trimmed where one tick a step would have trimmed it: at this tick when it was taken,
      // at the last taken tick when it exits on the standing stop (its window only rescaled).
      const window = step.changes.window;
      const at = step.kind === 'stepped' ? step.ts : state.lastTs;
      const changing =
        window === undefined || at === null
          ? step
          : { ...step, changes: { ...step.changes, window: trimWindow({ ...state, window }, at) } };
      return { taken: i - from, changes: trimmed(), events, changing };
    }
    Object.assign(state, step.changes);
    Object.assign(changes, step.changes);
    announceInPlace(step, events);
  }
  return { taken: ticks.length - from, changes: trimmed(), events, changing: undefined };
}
