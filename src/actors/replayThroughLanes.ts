import { VirtualTimeScheduler } from 'rxjs';
import { createActor } from 'xstate';
import { positionMachine } from '../machines/positionMachine.ts';
import { replaySource } from '../streams/replaySource.ts';
import { validatedSource } from '../streams/validateTicks.ts';
import type { FastWhenProfit } from '../streams/streamConfig.ts';
import type { PositionEvent, Scenario } from '../domain/types.ts';
import { feedPosition } from './positionFeed.ts';
import { summarize, type ReplayResult } from './replayScenario.ts';

/** Lane settings of a replay; the defaults are the live engine's. */
export interface LaneReplayOptions {
  readonly fastMs: number;
  readonly normalMs: number;
  readonly fastWhenProfit?: FastWhenProfit;
  readonly downgradeAfterCycles?: number;
}

const SYMBOL = 'REPLAY';

/**
 * Returns the result of replaying `scenario` through the live price path — validation, then
 * the position's fast/normal lane — on the scenario's own clock (virtual time: a day of ticks
 * replays in milliseconds). It shows what live sampling changes; with both intervals 0 every
 * tick passes at once and the result equals {@link replayScenario}'s.
 */
export function replayThroughLanes(scenario: Scenario, options: LaneReplayOptions): ReplayResult {
  const scheduler = new VirtualTimeScheduler();
  const events: PositionEvent[] = [];
  const actor = createActor(positionMachine, {
    input: { market: scenario.market, position: scenario.position, policy: scenario.policy },
  });
  actor.on('*', (event) => events.push(event));
  actor.start();
  let sent = 0;
  const source = validatedSource(
    replaySource(
      scenario.ticks.map((t) => ({ symbol: SYMBOL, ts: t.ts, price: t.price })),
      { scheduler },
    ),
    {
      // A tick validation refuses never reaches the actor; it is reported the way the
      // machine reports it, unless the position has already exited (then every tick is ignored).
      onRejected: (r) => {
        if (actor.getSnapshot().status === 'active')
          events.push({ type: 'tickRejected', ts: r.ts, why: r.why });
      },
    },
  );
  const feed = feedPosition(actor, source, SYMBOL, {
    fastMs: options.fastMs,
    normalMs: options.normalMs,
    fastWhenProfit: options.fastWhenProfit ?? { percent: '0' },
    downgradeAfterCycles: options.downgradeAfterCycles ?? 3,
    scheduler,
    onPrice: () => sent++,
  });
  scheduler.flush();
  feed.unsubscribe();
  const context = actor.getSnapshot().context;
  actor.stop();
  return { events, summary: summarize(context), context, ticksProcessed: sent };
}
