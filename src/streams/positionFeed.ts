import { Subscription, type SchedulerLike } from 'rxjs';
import type { DecimalString, Millis, Side } from '../domain/types.ts';
import { createLogger } from '../telemetry/logger.ts';
import { clock, type ClockEvent } from './clock.ts';
import {
  lane,
  type LaneChange,
  type LaneName,
  type LaneOptions,
  type LanePosition,
} from './lane.ts';
import type { PollPace } from './pollPace.ts';
import type { PriceSource } from './priceSource.ts';
import type { PriceTick } from './priceTick.ts';
import { type RejectionSink, validatedSource } from './validateTicks.ts';

/**
 * What a feed needs of a running position actor (the position machine's actor has it): its
 * status and stop, a way to send it prices and CLOCKs, and its failure.
 */
export interface PositionActor {
  getSnapshot(): {
    readonly status: 'active' | 'done' | 'error' | 'stopped';
    readonly error?: unknown;
    readonly context: {
      readonly position: {
        readonly side: Side;
        readonly entryPrice: DecimalString;
        readonly quantity: DecimalString;
      };
      readonly stop: DecimalString;
    };
  };
  send(event: { readonly type: 'PRICE'; readonly ts: Millis; readonly price: string }): void;
  send(event: ClockEvent): void;
  subscribe(observer: { error: (error: unknown) => void }): { unsubscribe(): void };
}

/** How a position hears its symbol: its lane settings and, optionally, a CLOCK heartbeat. */
export interface PositionFeedOptions extends Omit<LaneOptions, 'scheduler' | 'onLaneChange'> {
  readonly scheduler?: SchedulerLike;
  readonly onLaneChange?: (change: LaneChange) => void;
  /** Sends `CLOCK` at this period so time-based rules fire without ticks; omitted: no heartbeat. */
  readonly clockPeriodMs?: number;
  /** Sees each tick right after it was sent to the actor as a PRICE event. */
  readonly onPrice?: (tick: PriceTick) => void;
  /**
   * Where the feed's own validation reports rejected ticks (bad ticks are never forwarded and
   * never thrown). Pass the engine's shared counters here.
   */
  readonly rejections?: RejectionSink;
  /**
   * Called once when the feed fails (its source errors, sending to the actor throws, or the
   * actor fails: an action threw and XState put it in status `error`); the whole feed (lane
   * and CLOCK) is torn down first. Default: logged.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Makes the symbol's REST polling follow this position's lane: the lane's interval is
   * registered under `key` at start and on every lane change, and cleared at teardown. Feed
   * `pace.intervalMs$` to `restPollingSource({ intervalMs })`.
   */
  readonly pollPace?: { readonly pace: PollPace; readonly key: string };
}

const log = createLogger('position-feed');

const defaultOnError = (error: unknown): void => {
  log.error({ err: error }, 'position feed failed; the feed is torn down');
};

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
 * `PRICE` event, in order, with its original timestamp. Ticks are validated first, so a bad
 * one is rejected and reported to `options.rejections`, never thrown. Returns the subscription;
 * it ends by itself when the position exits (a closed position needs no prices), and on a
 * failure, which it reports to `options.onError` rather than throwing.
 */
export function feedPosition(
  actor: PositionActor,
  source: PriceSource,
  symbol: string,
  options: PositionFeedOptions,
): Subscription {
  const subscription = new Subscription();
  const { pollPace } = options;
  const intervalOf = (name: LaneName): number =>
    name === 'fast' ? options.fastMs : options.normalMs;
  const onLaneChange =
    pollPace === undefined
      ? options.onLaneChange
      : (change: LaneChange): void => {
          pollPace.pace.set(symbol, pollPace.key, intervalOf(change.to));
          options.onLaneChange?.(change);
        };
  const laneOptions: LaneOptions = {
    fastMs: options.fastMs,
    normalMs: options.normalMs,
    fastWhenProfit: options.fastWhenProfit,
    downgradeAfterCycles: options.downgradeAfterCycles,
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    ...(onLaneChange === undefined ? {} : { onLaneChange }),
    ...(options.initialLane === undefined ? {} : { initialLane: options.initialLane }),
  };
  if (pollPace !== undefined) {
    pollPace.pace.set(symbol, pollPace.key, intervalOf(options.initialLane ?? 'normal'));
    subscription.add(() => pollPace.pace.clear(symbol, pollPace.key));
  }
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    subscription.unsubscribe();
    (options.onError ?? defaultOnError)(error);
  };
  // A machine action that throws puts the actor in status 'error' without throwing from
  // `send`; XState tells its observers, and rethrows out of band when none listens.
  subscription.add(actor.subscribe({ error: fail }));
  const { status, error } = actor.getSnapshot();
  if (status === 'error') fail(error);
  subscription.add(
    validatedSource(source, options.rejections)
      .ticks(symbol)
      .pipe(lane(lanePositionOf(actor), laneOptions))
      .subscribe({
        next: (delivery) => {
          try {
            for (const tick of delivery.ticks) {
              if (actor.getSnapshot().status !== 'active') break;
              actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
              if (failed) return;
              options.onPrice?.(tick);
            }
            if (actor.getSnapshot().status !== 'active') subscription.unsubscribe();
          } catch (error) {
            fail(error);
          }
        },
        error: fail,
      }),
  );
  if (options.clockPeriodMs !== undefined) {
    subscription.add(
      clock(options.clockPeriodMs, options.scheduler).subscribe((event) => {
        try {
          if (actor.getSnapshot().status === 'active') actor.send(event);
        } catch (error) {
          fail(error);
        }
      }),
    );
  }
  return subscription;
}
