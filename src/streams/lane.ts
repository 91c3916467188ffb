/**
 * Lanes: how often one position hears about its symbol's prices.
 *
 * A position in profit (at least `fastWhenProfit`) rides the fast lane, others the normal
 * lane; each lane delivers per window only the ticks carrying the window's low, high and
 * last price, so a slow lane costs the actor fewer events but never an extreme. A tick that
 * crosses the position's stop, or sets a new best price (a new extreme that may move the stop),
 * skips the wait. See docs/lanes.md for the diagram.
 */
import type { Decimal } from 'decimal.js';
import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';

import { Dec } from '../domain/money.ts';
import type { DecimalString, Side } from '../domain/types.ts';
import { crossesStop, type PriceTick } from './priceTick.ts';
import { WindowExtremes } from './windowExtremes.ts';

/** The two sampling speeds a position can ride. */
export type LaneName = 'fast' | 'normal';

/**
 * Why a delivery left before its window ended, or that it did not: `window` (the window
 * ended), `stopCrossed` (a tick crossed the stop), `newExtreme` (a tick was more favourable
 * than every tick delivered before, so it may move the stop), `upgraded` (the position reached
 * the fast threshold), `passthrough` (the lane's interval is 0), `ended` (the source completed
 * or failed).
 */
export type DeliveryCause =
  'window' | 'stopCrossed' | 'newExtreme' | 'upgraded' | 'passthrough' | 'ended';

/** One lane emission: the window's low/high/last ticks, untouched, in original order. */
export interface LaneDelivery {
  readonly lane: LaneName;
  readonly cause: DeliveryCause;
  /** The scheduler's now() at delivery; `ticks[i].ts` keep their original timestamps. */
  readonly ts: number;
  readonly ticks: readonly PriceTick[];
}

/** A change of lane; downgrades happen only after `downgradeAfterCycles` cycles below. */
export interface LaneChange {
  readonly ts: number;
  readonly from: LaneName;
  readonly to: LaneName;
}

/**
 * What a lane needs to know about its position. The actor wiring implements it over the
 * actor's snapshots; the lane calls `currentStop()` on every tick, so it must be cheap.
 */
export interface LanePosition {
  readonly side: Side;
  readonly entryPrice: DecimalString;
  readonly quantity: DecimalString;
  /** Returns the stop as it stands now, or undefined when the position has none yet. */
  currentStop(): DecimalString | undefined;
}

/** The profit from which a position rides the fast lane, in quote currency or in percent of entry. */
export type FastWhenProfit =
  { readonly quote: DecimalString } | { readonly percent: DecimalString };

/** Options of {@link lane}; the first four come from the engine config's `lanes` block. */
export interface LaneOptions {
  readonly fastMs: number;
  readonly normalMs: number;
  readonly fastWhenProfit: FastWhenProfit;
  readonly downgradeAfterCycles: number;
  /** Clock of the windows. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Called on every lane change, before the delivery it causes. */
  readonly onLaneChange?: (change: LaneChange) => void;
  /** The lane to start in. Default 'normal' (no profit is known before the first tick). */
  readonly initialLane?: LaneName;
}

/**
 * Returns true when price `p` gives `position` a profit of at least `threshold`, computed as
 * the SPEC defines profit: quote = (p − entry) × quantity, percent = (p − entry) / entry × 100,
 * both mirrored for a short.
 */
export function reachesFastThreshold(
  position: LanePosition,
  p: Decimal,
  threshold: FastWhenProfit,
): boolean {
  const move =
    position.side === 'long' ? p.minus(position.entryPrice) : new Dec(position.entryPrice).minus(p);
  return 'quote' in threshold
    ? move.times(position.quantity).gte(threshold.quote)
    : move.div(position.entryPrice).times(100).gte(threshold.percent);
}

/**
 * Returns an operator that turns one symbol's validated ticks into lane deliveries for one
 * position. Every input tick is either delivered or was neither the low, the high nor the
 * last of its window. A tick more favourable than every tick delivered so far (strictly higher
 * for a long, lower for a short) is delivered at once with its window, so the actor has moved
 * its stop on every new extreme before the next tick is judged against that stop. On completion the open window is delivered, then the output completes;
 * on error it is delivered, then the error is forwarded. Throws (as a stream error) on a tick
 * whose price is unreadable.
 */
export function lane(
  position: LanePosition,
  options: LaneOptions,
): OperatorFunction<PriceTick, LaneDelivery> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const intervalOf = (name: LaneName): number =>
    name === 'fast' ? options.fastMs : options.normalMs;

  const beyond = (p: Decimal, than: Decimal): boolean =>
    position.side === 'long' ? p.gt(than) : p.lt(than);

  return (source) =>
    new Observable<LaneDelivery>((subscriber) => {
      let current: LaneName = options.initialLane ?? 'normal';
      const window = new WindowExtremes();
      let timer: Subscription | undefined;
      // Debounce state: a fast cycle is "below" when no tick in it reached the threshold, and,
      // if it had no tick, when the last known price was below too.
      let belowCycles = 0;
      let cycleReached = false;
      let cycleHadTick = false;
      let lastReached = false;
      // The most favourable price delivered so far (highest for a long, lowest for a short):
      // a tick beyond it is a new extreme the actor must see before the next tick is judged.
      let best: Decimal | undefined;
      const isLong = position.side === 'long';

      const deliver = (cause: DeliveryCause): void => {
        if (window.isEmpty) return;
        const extreme = isLong ? window.highPrice : window.lowPrice;
        if (extreme !== undefined && (best === undefined || beyond(extreme, best))) best = extreme;
        subscriber.next({ lane: current, cause, ts: scheduler.now(), ticks: window.take() });
      };

      const changeLane = (to: LaneName): void => {
        const change: LaneChange = { ts: scheduler.now(), from: current, to };
        current = to;
        belowCycles = 0;
        options.onLaneChange?.(change);
        startTimer();
      };

      const endCycle = (cause: DeliveryCause): void => {
        deliver(cause);
        if (current === 'fast') {
          const reached = cycleHadTick ? cycleReached : lastReached;
          belowCycles = reached ? 0 : belowCycles + 1;
          if (belowCycles >= options.downgradeAfterCycles) changeLane('normal');
        }
        cycleReached = false;
        cycleHadTick = false;
      };

      // Windows restart on a lane change, so the first fast window is a full fast interval
      // after the upgrade rather than whatever was left of a normal one.
      function startTimer(): void {
        timer?.unsubscribe();
        timer = undefined;
        const ms = intervalOf(current);
        // A consumer that left during the delivery that ended this window must not leave a
        // timer rescheduling itself forever.
        if (ms <= 0 || subscriber.closed) return;
        timer = scheduler.schedule(() => {
          timer = undefined;
          endCycle('window');
          if (timer === undefined) startTimer();
        }, ms);
      }

      const onTick = (tick: PriceTick): void => {
        const price = window.add(tick);
        const reached = reachesFastThreshold(position, price, options.fastWhenProfit);
        lastReached = reached;
        cycleHadTick = true;
        if (reached) {
          cycleReached = true;
          belowCycles = 0;
        }
        const stop = position.currentStop();
        const crossed = stop !== undefined && crossesStop(position.side, price, stop);
        const upgraded = reached && current === 'normal';
        const newExtreme = best === undefined || beyond(price, best);
        if (upgraded) changeLane('fast');
        if (crossed) deliver('stopCrossed');
        else if (upgraded) deliver('upgraded');
        // (With an interval of 0 the tick goes out as 'passthrough' just below anyway.)
        else if (newExtreme && intervalOf(current) > 0) deliver('newExtreme');
        // An interval of 0 makes every tick its own cycle, so the downgrade count still works.
        if (intervalOf(current) <= 0) endCycle('passthrough');
      };

      startTimer();
      const upstream = source.subscribe({
        next: (tick) => {
          // Anything thrown here (an unvalidated tick, a failing currentStop) must end this
          // stream visibly: thrown from an inner observer, RxJS would only report it globally.
          try {
            onTick(tick);
          } catch (error) {
            timer?.unsubscribe();
            subscriber.error(error);
          }
        },
        error: (error: unknown) => {
          timer?.unsubscribe();
          deliver('ended');
          subscriber.error(error);
        },
        complete: () => {
          timer?.unsubscribe();
          deliver('ended');
          subscriber.complete();
        },
      });

      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
