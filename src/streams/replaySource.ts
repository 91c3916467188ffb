/**
 * A price source that plays a recorded list of ticks on a scheduler's clock, so a scenario
 * or a CSV runs through the same validation and lanes as live prices, on virtual time.
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';

import { type PriceSource, sharedPerSymbol } from './priceSource.ts';
import type { PriceTick } from './priceTick.ts';

/** Options of {@link replaySource}. */
export interface ReplayOptions {
  /** The clock ticks are played on; a TestScheduler or VirtualTimeScheduler makes replays instant. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /**
   * The tick ts that corresponds to the scheduler's now() at subscription. Default 0, so on a
   * virtual scheduler starting at 0 a tick is emitted exactly at frame `ts`.
   */
  readonly origin?: number;
}

/**
 * Returns a source that emits, for each symbol, the given ticks of that symbol in their list
 * order, each when the scheduler's clock reaches its ts (relative to `origin`), then completes.
 * A tick whose ts is earlier than the previous one (an out-of-order tick, kept so that
 * validation can reject and count it) is emitted right after the previous one, never reordered.
 * Ticks with an unreadable ts are emitted at once for the same reason.
 */
export function replaySource(ticks: Iterable<PriceTick>, options: ReplayOptions = {}): PriceSource {
  const all = [...ticks];
  const scheduler = options.scheduler ?? asyncScheduler;
  const origin = options.origin ?? 0;
  return {
    kind: 'replay',
    // Shared like a live source, so a replay exercises the same one-stream-per-symbol path.
    ticks: sharedPerSymbol(
      (symbol) =>
        new Observable<PriceTick>((subscriber) => {
          const mine = all.filter((t) => t.symbol === symbol);
          const start = scheduler.now();
          let index = 0;
          // One scheduled action at a time, rescheduled per tick: a replay of a long CSV never
          // holds thousands of pending timers, and unsubscribing cancels exactly one.
          const step = (): number | undefined => {
            const next = mine[index];
            if (next === undefined) return undefined;
            const due = Number.isFinite(next.ts) ? start + (next.ts - origin) : -Infinity;
            return Math.max(0, due - scheduler.now());
          };
          const first = step();
          if (first === undefined) {
            subscriber.complete();
            return undefined;
          }
          return scheduler.schedule(function () {
            for (;;) {
              const tick = mine[index];
              if (tick === undefined) break;
              index += 1;
              subscriber.next(tick);
              const delay = step();
              if (delay === undefined) break;
              // Same-time ticks go out in this action: they share a frame, and a reschedule
              // with delay 0 would let other actions at that frame interleave between them.
              if (delay > 0) {
                this.schedule(undefined, delay);
                return;
              }
            }
            subscriber.complete();
          }, first);
        }),
    ),
  };
}
