/**
 * The REST price source: `fetchTicker` on a timer. It is the fallback's second leg, used
 * while a symbol's WebSocket is down or silent, and a standalone source for venues without one.
 */
import {
  asyncScheduler,
  distinctUntilChanged,
  exhaustMap,
  from,
  isObservable,
  map,
  type Observable,
  type ObservableInput,
  of,
  type SchedulerLike,
  switchMap,
  timer,
} from 'rxjs';

import type { CcxtTickerLike } from './ccxtWatchSource.ts';
import { type PriceSource, sharedPerSymbol } from './priceSource.ts';
import { priceText } from './priceTick.ts';

/** The one ccxt Exchange method the poller calls. */
export interface CcxtRestExchange {
  fetchTicker(symbol: string): ObservableInput<CcxtTickerLike>;
}

/** Options of {@link restPollingSource}. */
export interface RestPollingOptions {
  /**
   * Milliseconds between polls, fixed or per symbol as an observable: a lane that turns fast
   * can make its symbol poll fast. Default 1000.
   */
  readonly intervalMs?: number | ((symbol: string) => Observable<number> | number);
  /** The clock of the timer; a TestScheduler drives it in tests. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Reads the price from a ticker. Default: `last` (use `markPrice ?? last` for mark prices). */
  readonly pick?: (ticker: CcxtTickerLike) => number | string | undefined;
}

/**
 * Returns a polling source: per symbol, one `fetchTicker` at subscription and then every
 * interval, shared by all consumers. A poll that is still in flight when the next is due is
 * not doubled (exhaustMap), so a slow exchange is not flooded. A failed fetch errors the
 * stream; the fallback resubscribes with backoff.
 */
export function restPollingSource(
  exchange: CcxtRestExchange,
  options: RestPollingOptions = {},
): PriceSource {
  const scheduler = options.scheduler ?? asyncScheduler;
  const pick = options.pick ?? ((t: CcxtTickerLike) => t.last);
  const intervalOf = (symbol: string): Observable<number> => {
    const given = options.intervalMs ?? 1000;
    const value = typeof given === 'function' ? given(symbol) : given;
    return isObservable(value) ? value : of(value);
  };

  const build = (symbol: string) =>
    intervalOf(symbol).pipe(
      distinctUntilChanged(),
      // A new interval restarts the timer at once, so speeding up takes effect now.
      switchMap((ms) => timer(0, Math.max(1, ms), scheduler)),
      exhaustMap(() => from(exchange.fetchTicker(symbol))),
      map((t) => ({ symbol, ts: t.timestamp ?? scheduler.now(), price: priceText(pick(t)) })),
    );

  return { kind: 'rest', ticks: sharedPerSymbol(build) };
}
