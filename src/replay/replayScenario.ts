import { createActor } from 'xstate';
import { positionMachine } from '../machines/positionMachine.ts';
import type { PositionEvent, ReplaySummary, Scenario, Tick } from '../domain/types.ts';
import type { PositionContext } from '../machines/positionContext.ts';

/** The outcome of one replayed scenario. */
export interface ReplayResult {
  /** The SPEC's event lines in the order the steps produced them. */
  readonly events: PositionEvent[];
  readonly summary: ReplaySummary;
  /** The actor's context after the last tick (for tables, the inspector and tests). */
  readonly context: PositionContext;
  /** How many ticks were sent before the position exited (or all of them). */
  readonly ticksProcessed: number;
}

/** Returns the summary line of a position's final context. */
export function summarize(context: PositionContext): ReplaySummary {
  const exit = context.exit;
  return {
    type: 'summary',
    exited: exit !== null,
    exitTs: exit?.ts ?? null,
    exitPrice: exit?.price ?? null,
    exitReason: exit?.reason ?? null,
    finalStop: context.stop,
  };
}

/**
 * Returns the events and summary of running `scenario` through one position actor, tick by
 * tick. Ticks after the exit are not sent: the SPEC ignores them. `onEvent`, when given, sees
 * each event as it is produced (with the index of the tick that produced it; −1 for `opened`).
 */
export function replayScenario(
  scenario: Scenario,
  onEvent?: (event: PositionEvent, tickIndex: number, tick: Tick | undefined) => void,
): ReplayResult {
  const events: PositionEvent[] = [];
  let tickIndex = -1;
  let current: Tick | undefined;
  const actor = createActor(positionMachine, {
    input: { market: scenario.market, position: scenario.position, policy: scenario.policy },
  });
  actor.on('*', (event) => {
    events.push(event);
    onEvent?.(event, tickIndex, current);
  });
  actor.start();
  let processed = 0;
  for (const tick of scenario.ticks) {
    if (actor.getSnapshot().status !== 'active') break;
    tickIndex = processed;
    current = tick;
    actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
    processed++;
  }
  const context = actor.getSnapshot().context;
  actor.stop();
  return { events, summary: summarize(context), context, ticksProcessed: processed };
}
