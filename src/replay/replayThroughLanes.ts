import { tap, VirtualTimeScheduler } from 'rxjs';
import { lane, type LaneOptions } from '../streams/lane.ts';
import type { PriceSource } from '../streams/priceSource.ts';
import type { PriceTick } from '../streams/priceTick.ts';
import { replaySource } from '../streams/replaySource.ts';
import { validatedSource } from '../streams/validateTicks.ts';
import type { PositionEvent, RejectReason, Scenario } from '../domain/types.ts';
import { lanePositionOf } from '../streams/positionFeed.ts';
import { ReplayDriver } from './replayDriver.ts';
import type { ReplayResult } from './replayScenario.ts';

/** Lane settings of a replay, as the engine config's `lanes` block gives them. */
export type LaneReplayOptions = Pick<
  LaneOptions,
  'fastMs' | 'normalMs' | 'fastWhenProfit' | 'downgradeAfterCycles'
>;

const SYMBOL = 'REPLAY';

interface Rejection {
  readonly seq: number;
  readonly ts: number;
  readonly why: RejectReason;
}

/**
 * Returns the result of replaying `scenario` through the live price path — validation, then
 * the position's fast/normal lane — on the scenario's own clock (virtual time starting at the
 * first tick: a day of ticks replays in milliseconds). It shows what live sampling changes;
 * with both intervals 0 every tick passes at once and the result equals
 * {@link replayScenario}'s.
 *
 * A tick validation refuses never reaches the actor, yet it is reported where the tick stood:
 * after the events of every earlier tick the lane delivered, and not at all once the position
 * has exited (the SPEC ignores later ticks).
 */
export function replayThroughLanes(scenario: Scenario, options: LaneReplayOptions): ReplayResult {
  const first = scenario.ticks[0];
  const scheduler = new VirtualTimeScheduler();
  const events: PositionEvent[] = [];
  const driver = new ReplayDriver(
    { input: { market: scenario.market, position: scenario.position, policy: scenario.policy } },
    { onEvent: (event) => events.push(event) },
  );

  const ticks: PriceTick[] = scenario.ticks.map((t) => ({
    symbol: SYMBOL,
    ts: t.ts,
    price: t.price,
  }));
  const seqOf = new Map<PriceTick, number>(ticks.map((t, i) => [t, i]));
  const raw = replaySource(ticks, { scheduler, origin: first?.ts ?? scenario.position.openedAt });
  let arriving = -1;
  const numbered: PriceSource = {
    kind: raw.kind,
    ticks: (symbol) => raw.ticks(symbol).pipe(tap((t) => (arriving = seqOf.get(t) ?? arriving))),
  };
  const pending: Rejection[] = [];
  const source = validatedSource(numbered, {
    onRejected: (r) => pending.push({ seq: arriving, ts: r.ts, why: r.why }),
  });
  const report = (before: number): void => {
    while (pending.length > 0 && (pending[0] as Rejection).seq < before) {
      const r = pending.shift() as Rejection;
      driver.report({ type: 'tickRejected', ts: r.ts, why: r.why });
    }
  };

  let exitSeq = Number.POSITIVE_INFINITY;
  const feed = source
    .ticks(SYMBOL)
    .pipe(
      lane(lanePositionOf(driver.actor), {
        fastMs: options.fastMs,
        normalMs: options.normalMs,
        fastWhenProfit: options.fastWhenProfit,
        downgradeAfterCycles: options.downgradeAfterCycles,
        scheduler,
      }),
    )
    .subscribe((delivery) => {
      for (const tick of delivery.ticks) {
        if (!driver.open) return;
        const seq = seqOf.get(tick) ?? Number.POSITIVE_INFINITY;
        report(seq);
        driver.send(tick);
        if (!driver.open) exitSeq = seq;
      }
    });
  scheduler.flush();
  feed.unsubscribe();
  report(exitSeq);
  const { summary, context } = driver.finish();
  return { events, summary, context, ticksProcessed: driver.ticksSent };
}
