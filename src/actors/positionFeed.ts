import { Subscription, type SchedulerLike } from 'rxjs';
import type { Actor } from 'xstate';
import { clock } from '../streams/clock.ts';
import { lane, type LaneChange, type LaneOptions, type LanePosition } from '../streams/lane.ts';
import type { PriceSource } from '../streams/priceSource.ts';
import type { PriceTick } from '../streams/priceTick.ts';
import type { PositionMachine } from '../machines/positionMachine.ts';

/** A running position actor. */
export type PositionActor = Actor<PositionMachine>;

/** How a position hears its symbol: its lane settings and, optionally, a CLOCK heartbeat. */
export interface PositionFeedOptions extends Omit<LaneOptions, 'scheduler' | 'onLaneChange'> {
  readonly scheduler?: SchedulerLike;
  readonly onLaneChange?: (change: LaneChange) => void;
  /** Sends `CLOCK` at this period so time-based rules fire without ticks; omitted: no heartbeat. */
  readonly clockPeriodMs?: number;
  /** Sees each tick right after it was sent to the actor as a PRICE event. */
  readonly onPrice?: (tick: PriceTick) => void;
}

/**
 * Returns the lane's view of a position: side, entry and quantity from the actor's input, and
 * the stop read from its latest snapshot at the moment the lane asks, so a stop that moved
 * one tick ago already decides whether the next tick must be delivered at once.
 */
export function lanePositionOf(actor: PositionActor): LanePosition {
  const { position } = actor.getSnapshot().context;
  return {
    side: position.side,
    entryPrice: position.entryPrice,
    quantity: position.quantity,
    currentStop: () => {
      const snapshot = actor.getSnapshot();
      return snapshot.status === 'active' ? snapshot.context.stop : undefined;
    },
  };
}

/**
 * Connects `actor` to `symbol`'s prices through its lane: every delivered tick becomes a
 * `PRICE` event, in order, with its original timestamp. Returns the subscription; it ends by
 * itself when the position exits (a closed position needs no prices).
 */
export function feedPosition(
  actor: PositionActor,
  source: PriceSource,
  symbol: string,
  options: PositionFeedOptions,
): Subscription {
  const subscription = new Subscription();
  const laneOptions: LaneOptions = {
    fastMs: options.fastMs,
    normalMs: options.normalMs,
    fastWhenProfit: options.fastWhenProfit,
    downgradeAfterCycles: options.downgradeAfterCycles,
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    ...(options.onLaneChange === undefined ? {} : { onLaneChange: options.onLaneChange }),
    ...(options.initialLane === undefined ? {} : { initialLane: options.initialLane }),
  };
  subscription.add(
    source
      .ticks(symbol)
      .pipe(lane(lanePositionOf(actor), laneOptions))
      .subscribe((delivery) => {
        for (const tick of delivery.ticks) {
          if (actor.getSnapshot().status !== 'active') break;
          actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
          options.onPrice?.(tick);
        }
        if (actor.getSnapshot().status !== 'active') subscription.unsubscribe();
      }),
  );
  if (options.clockPeriodMs !== undefined) {
    subscription.add(
      clock(options.clockPeriodMs, options.scheduler).subscribe((event) => {
        if (actor.getSnapshot().status === 'active') actor.send(event);
      }),
    );
  }
  return subscription;
}
