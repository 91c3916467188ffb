import type { PositionEvent, ReplaySummary, Scenario } from '../domain/types.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import { ReplayDriver } from './replayDriver.ts';

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

/**
 * Returns the events and summary of running `scenario` through one position actor, tick by
 * tick. `onEvent`, when given, sees each event as it is produced, with the index of the tick
 * that produced it (−1 for `opened`).
 */
export function replayScenario(
  scenario: Scenario,
  onEvent?: (event: PositionEvent, tickIndex: number) => void,
): ReplayResult {
  const events: PositionEvent[] = [];
  const driver = new ReplayDriver(
    { input: { market: scenario.market, position: scenario.position, policy: scenario.policy } },
    {
      onEvent: (event, tickIndex) => {
        events.push(event);
        onEvent?.(event, tickIndex);
      },
    },
  );
  driver.sendAll(scenario.ticks);
  const { summary, context } = driver.finish();
  return { events, summary, context, ticksProcessed: driver.ticksSent };
}
