/**
 * Per-symbol failover between a WebSocket source and a REST polling source.
 *
 * WebSocket prices are preferred (pushed, cheap); when a symbol's socket errors or goes
 * silent for longer than `maxPriceAgeMs`, that symbol alone is switched to REST polling while
 * the socket is redialled with exponential backoff, and switched back on the first WebSocket
 * price that arrives again. Every switch is published so the engine can log and count it.
 */
import {
  asyncScheduler,
  Observable,
  retry,
  type SchedulerLike,
  Subject,
  type Subscription,
  timer,
} from 'rxjs';

import { type PriceSource, sharedPerSymbol } from './priceSource.ts';
import type { PriceTick } from './priceTick.ts';

/** Which leg currently feeds a symbol. */
export type FeedMode = 'websocket' | 'rest';

/** Why a symbol changed legs: the socket failed, it fell silent, or its prices returned. */
export type SwitchReason = 'error' | 'silent' | 'recovered';

/** Published on every change of leg for one symbol; `ts` is the scheduler's now(). */
export interface SourceSwitch {
  readonly symbol: string;
  readonly from: FeedMode;
  readonly to: FeedMode;
  readonly ts: number;
  readonly reason: SwitchReason;
}

/** Published on every failure of a leg, before it is retried after `retryInMs`. */
export interface SourceFailure {
  readonly symbol: string;
  readonly source: FeedMode;
  readonly ts: number;
  readonly attempt: number;
  readonly retryInMs: number;
  readonly error: unknown;
}

/** Exponential backoff between reconnects: initialMs × factor^(attempt−1), capped at maxMs. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

/** Options of {@link FallbackSource}. */
export interface FallbackOptions {
  /** Longest WebSocket silence tolerated before polling takes over. */
  readonly maxPriceAgeMs: number;
  /** Delay before each reconnect of a failed leg. */
  readonly backoff: Backoff;
  /** Clock of the silence watchdog and the backoff timers. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Returns the delay before reconnect attempt `attempt` (1 for the first):
 * initialMs × factor^(attempt−1), never above maxMs. No jitter: one engine redials one
 * venue, and a deterministic delay keeps replays and marble tests exact.
 */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  const raw = backoff.initialMs * Math.pow(backoff.factor, Math.max(0, attempt - 1));
  return Math.min(backoff.maxMs, Math.round(raw));
}

/**
 * A price source that serves each symbol from `websocket`, falling back to `rest` per symbol.
 * Each symbol's stream is shared; it completes when the WebSocket stream completes (the
 * origin was shut down) and never errors on its own: both legs are retried forever.
 */
export class FallbackSource implements PriceSource {
  readonly kind = 'fallback' as const;
  private readonly switchSubject = new Subject<SourceSwitch>();
  private readonly failureSubject = new Subject<SourceFailure>();
  private readonly modes = new Map<string, FeedMode>();
  private readonly counts = new Map<string, number>();
  private readonly scheduler: SchedulerLike;

  /** Every leg change of every symbol, as it happens (hot: subscribe before prices flow). */
  readonly switches$: Observable<SourceSwitch> = this.switchSubject.asObservable();
  /** Every failure of either leg, with the attempt number and the delay before the retry. */
  readonly failures$: Observable<SourceFailure> = this.failureSubject.asObservable();
  /** Returns the shared tick stream of `symbol`, from whichever leg currently serves it. */
  readonly ticks: (symbol: string) => Observable<PriceTick>;

  constructor(
    private readonly websocket: PriceSource,
    private readonly rest: PriceSource,
    private readonly options: FallbackOptions,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.ticks = sharedPerSymbol((symbol) => this.feed(symbol));
  }

  /** Returns the leg serving `symbol` now, or undefined when nobody is subscribed to it. */
  mode(symbol: string): FeedMode | undefined {
    return this.modes.get(symbol);
  }

  /** Returns how many times `symbol` changed legs since this source was created. */
  switchCount(symbol: string): number {
    return this.counts.get(symbol) ?? 0;
  }

  private feed(symbol: string): Observable<PriceTick> {
    const { scheduler, options } = this;
    const websocket = this.websocket;
    return new Observable<PriceTick>((subscriber) => {
      let mode: FeedMode = 'websocket';
      let wsFailures = 0;
      let ws: Subscription | undefined;
      let polling: Subscription | undefined;
      let watchdog: Subscription | undefined;
      let redial: Subscription | undefined;
      this.modes.set(symbol, mode);

      const switchTo = (to: FeedMode, reason: SwitchReason): void => {
        if (mode === to) return;
        const event: SourceSwitch = { symbol, from: mode, to, ts: scheduler.now(), reason };
        mode = to;
        this.modes.set(symbol, to);
        this.counts.set(symbol, this.switchCount(symbol) + 1);
        this.switchSubject.next(event);
      };

      const fail = (source: FeedMode, attempt: number, error: unknown): number => {
        const retryInMs = backoffDelay(attempt, options.backoff);
        this.failureSubject.next({
          symbol,
          source,
          ts: scheduler.now(),
          attempt,
          retryInMs,
          error,
        });
        return retryInMs;
      };

      const toRest = (reason: SwitchReason): void => {
        if (mode === 'rest') return;
        switchTo('rest', reason);
        polling = this.rest
          .ticks(symbol)
          // Polling is the last resort, so it never gives up; a success resets its backoff.
          .pipe(
            retry({
              delay: (error, n) => timer(fail('rest', n, error), scheduler),
              resetOnSuccess: true,
            }),
          )
          .subscribe({ next: (tick) => subscriber.next(tick) });
      };

      const toWebsocket = (): void => {
        if (mode === 'websocket') return;
        polling?.unsubscribe();
        polling = undefined;
        switchTo('websocket', 'recovered');
      };

      // A failed socket (an error, or silence: a half-open TCP peer never errors) is dropped,
      // counted, and redialled after the backoff delay; polling serves the symbol meanwhile.
      const wsFailed = (reason: 'error' | 'silent', error: unknown): void => {
        watchdog?.unsubscribe();
        watchdog = undefined;
        ws?.unsubscribe();
        ws = undefined;
        wsFailures += 1;
        const delay = fail('websocket', wsFailures, error);
        toRest(reason);
        // ccxt redials only on the next watch* call: resubscribing makes that call.
        redial = scheduler.schedule(dial, delay);
      };

      // Re-armed by every WebSocket price: silence is measured from the last one, or from
      // the dial when none came yet (a socket that connects but never speaks is also dead,
      // whether it is the first dial or a redial made while polling).
      const armWatchdog = (): void => {
        watchdog?.unsubscribe();
        watchdog = scheduler.schedule(
          () =>
            wsFailed(
              'silent',
              new Error(`no WebSocket price for ${symbol} in ${options.maxPriceAgeMs} ms`),
            ),
          options.maxPriceAgeMs,
        );
      };

      function dial(): void {
        redial = undefined;
        armWatchdog();
        ws = websocket.ticks(symbol).subscribe({
          next: (tick) => {
            wsFailures = 0;
            // The switch event precedes the tick it was caused by.
            toWebsocket();
            armWatchdog();
            subscriber.next(tick);
          },
          error: (error: unknown) => wsFailed('error', error),
          complete: () => subscriber.complete(),
        });
      }

      dial();
      return () => {
        ws?.unsubscribe();
        polling?.unsubscribe();
        watchdog?.unsubscribe();
        redial?.unsubscribe();
        this.modes.delete(symbol);
      };
    });
  }
}
