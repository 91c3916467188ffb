/**
 * The WebSocket price source, driven through ccxt's `watch*` methods.
 *
 * It is written against the few methods it calls (a structural interface), so a real
 * `ccxt.pro.binanceusdm` fits as is, and tests can pass a fake whose methods return
 * observables on virtual time.
 */
import {
  defer,
  from,
  map,
  mergeMap,
  type ObservableInput,
  repeat,
  type SchedulerLike,
  asyncScheduler,
} from 'rxjs';

import { type PriceSource, sharedPerSymbol } from './priceSource.ts';
import { priceText, type PriceTick } from './priceTick.ts';

/** Which ccxt stream a symbol's price comes from: last trades, the 24 h ticker's last, or the mark price. */
export type WatchKind = 'trades' | 'ticker' | 'markPrice';

/** The fields of a ccxt `Trade` this source reads. */
export interface CcxtTradeLike {
  readonly symbol?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly price?: number | string | undefined;
}

/** The fields of a ccxt `Ticker` this source and the REST poller read. */
export interface CcxtTickerLike {
  readonly symbol?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly last?: number | string | undefined;
  readonly markPrice?: number | string | undefined;
}

/**
 * The ccxt Exchange methods the WebSocket source calls. Each call resolves with the next
 * update; ccxt redials a dropped socket only when the next call is made.
 */
export interface CcxtWatchExchange {
  watchTrades(symbol: string): ObservableInput<readonly CcxtTradeLike[]>;
  watchTicker(symbol: string): ObservableInput<CcxtTickerLike>;
  watchMarkPrice?(symbol: string): ObservableInput<CcxtTickerLike>;
}

/** Options of {@link ccxtWatchSource}. */
export interface CcxtWatchOptions {
  /** Which stream to watch for a symbol; may differ per symbol. Default 'trades' for all. */
  readonly watch?: WatchKind | ((symbol: string) => WatchKind);
  /** Supplies the ts of an update that carries none. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Returns a WebSocket price source over `exchange`. Each symbol's stream is one endless loop
 * of `watch*` calls, shared by all its consumers; it errors with ccxt's error when the socket
 * drops (it does not retry: the fallback decides when to redial) and the next subscription
 * makes the next `watch*` call, which redials. Throws nothing itself; a missing
 * `watchMarkPrice` surfaces as a stream error.
 */
export function ccxtWatchSource(
  exchange: CcxtWatchExchange,
  options: CcxtWatchOptions = {},
): PriceSource {
  const scheduler = options.scheduler ?? asyncScheduler;
  const kindOf = (symbol: string): WatchKind =>
    typeof options.watch === 'function' ? options.watch(symbol) : (options.watch ?? 'trades');

  // An update without a timestamp still carries a price worth acting on; stamping it with
  // our clock keeps it ordered rather than making validation reject it.
  const ts = (timestamp: number | undefined): number => timestamp ?? scheduler.now();

  const build = (symbol: string) => {
    const kind = kindOf(symbol);
    const once = (): ObservableInput<readonly PriceTick[]> => {
      switch (kind) {
        case 'trades':
          return from(exchange.watchTrades(symbol)).pipe(
            map((trades) =>
              trades.map((t) => ({ symbol, ts: ts(t.timestamp), price: priceText(t.price) })),
            ),
          );
        case 'ticker':
          return from(exchange.watchTicker(symbol)).pipe(
            map((t) => [{ symbol, ts: ts(t.timestamp), price: priceText(t.last) }]),
          );
        case 'markPrice': {
          if (exchange.watchMarkPrice === undefined)
            throw new Error(`this exchange has no watchMarkPrice (symbol ${symbol})`);
          return from(exchange.watchMarkPrice(symbol)).pipe(
            // ccxt fills markPrice for mark-price streams; some venues only put it in last.
            map((t) => [{ symbol, ts: ts(t.timestamp), price: priceText(t.markPrice ?? t.last) }]),
          );
        }
      }
    };
    // defer + repeat: every resolved watch* call is followed by the next one, which is how
    // ccxt is meant to be consumed; an error ends the loop and reaches the fallback.
    return defer(once).pipe(
      repeat(),
      mergeMap((ticks) => ticks),
    );
  };

  return { kind: 'websocket', ticks: sharedPerSymbol(build) };
}
