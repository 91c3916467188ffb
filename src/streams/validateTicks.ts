/**
 * Step 0 of the SPEC as an RxJS operator: bad ticks never reach an actor, and never vanish.
 * Ticks are judged by the domain's `checkTick`, the rule the position statechart applies, so
 * a tick that passes here is never rejected by the actor.
 *
 * A rejected tick leaves the main stream but is handed to a side channel (a callback) and
 * counted per symbol and reason, so the engine can log it, export it as a metric, and a replay
 * can still print the SPEC's `tickRejected` line for it.
 */
import { defer, filter, type MonoTypeOperatorFunction, type Observable } from 'rxjs';

import { checkTick } from '../domain/tickCheck.ts';
import type { RejectReason } from '../domain/types.ts';
import { type PriceSource, sharedPerSymbol } from './priceSource.ts';
import type { PriceTick, TickRejection } from './priceTick.ts';

/**
 * Per-symbol, per-reason counts of rejected ticks. One instance may be shared by every
 * validation pipeline of the engine; it only grows, like a Prometheus counter.
 */
export class RejectionCounters {
  private readonly bySymbol = new Map<string, Map<RejectReason, number>>();

  record(rejection: Pick<TickRejection, 'symbol' | 'why'>): void {
    let reasons = this.bySymbol.get(rejection.symbol);
    if (reasons === undefined) {
      reasons = new Map();
      this.bySymbol.set(rejection.symbol, reasons);
    }
    reasons.set(rejection.why, (reasons.get(rejection.why) ?? 0) + 1);
  }

  /** Returns how many ticks of `symbol` were rejected for `why` (0 when none). */
  count(symbol: string, why: RejectReason): number {
    return this.bySymbol.get(symbol)?.get(why) ?? 0;
  }

  /** Returns how many ticks were rejected in all, optionally only for one symbol. */
  total(symbol?: string): number {
    let sum = 0;
    for (const [sym, reasons] of this.bySymbol) {
      if (symbol !== undefined && sym !== symbol) continue;
      for (const n of reasons.values()) sum += n;
    }
    return sum;
  }

  /** Returns a plain-object copy `{ symbol: { reason: count } }`, for logs and metrics. */
  snapshot(): Record<string, Partial<Record<RejectReason, number>>> {
    const out: Record<string, Partial<Record<RejectReason, number>>> = {};
    for (const [sym, reasons] of this.bySymbol) out[sym] = Object.fromEntries(reasons);
    return out;
  }
}

/** Where rejected ticks go. Both are optional; without either a rejection is still never forwarded. */
export interface RejectionSink {
  /** Called synchronously with each rejected tick, before the next tick is examined. */
  readonly onRejected?: (rejection: TickRejection) => void;
  /** Counted into, per symbol and reason. */
  readonly counters?: RejectionCounters;
}

/**
 * Returns an operator that forwards only valid ticks, unchanged and in order, and reports
 * every other tick to `sink` with its reason. Order is judged per symbol, so a merged stream
 * of several symbols may interleave freely. Errors and completion pass through; an exception
 * thrown by `onRejected` errors the stream (a broken side channel must not hide rejections).
 */
export function validateTicks(sink: RejectionSink = {}): MonoTypeOperatorFunction<PriceTick> {
  return (source: Observable<PriceTick>) =>
    // defer: each subscription judges order from its own history, so resubscribing a
    // replay does not reject its first tick as out of order.
    defer(() => {
      const lastAccepted = new Map<string, number>();
      return source.pipe(
        filter((tick) => {
          const { why } = checkTick(tick, lastAccepted.get(tick.symbol));
          if (why === undefined) {
            lastAccepted.set(tick.symbol, tick.ts);
            return true;
          }
          const rejection: TickRejection = {
            symbol: tick.symbol,
            ts: tick.ts,
            price: tick.price,
            why,
          };
          sink.counters?.record(rejection);
          sink.onRejected?.(rejection);
          return false;
        }),
      );
    });
}

/**
 * Returns a source whose per-symbol streams are `source`'s, validated once and shared. Use it
 * rather than validating inside each position's pipeline: with several positions on one
 * symbol, per-position validation would count (and report) every bad tick once per position.
 */
export function validatedSource(source: PriceSource, sink: RejectionSink = {}): PriceSource {
  return {
    kind: source.kind,
    ticks: sharedPerSymbol((symbol) => source.ticks(symbol).pipe(validateTicks(sink))),
  };
}
