/**
 * The one interface every price origin sits behind: WebSocket, REST polling, replay, and the
 * per-symbol fallback that combines the first two. Lanes and validation do not care which.
 */
import { type Observable, share } from 'rxjs';

import type { PriceTick } from './priceTick.ts';

/** Where prices come from; `kind` is what fallback events and logs call it. */
export type PriceSourceKind = 'websocket' | 'rest' | 'replay' | 'fallback';

/**
 * A source of price ticks per symbol. `ticks(symbol)` is cold-on-first-subscribe and shared:
 * however many consumers subscribe to one symbol, the origin is asked once (one WebSocket
 * subscription per symbol), and it is released when the last consumer unsubscribes.
 * The stream errors when the origin fails (a WebSocket drop); it is the fallback's job to
 * recover, so a source never retries on its own.
 */
export interface PriceSource {
  readonly kind: PriceSourceKind;
  /** Returns the shared tick stream of `symbol`, unvalidated, in the origin's order. */
  ticks(symbol: string): Observable<PriceTick>;
}

/**
 * Returns a `ticks(symbol)` function that builds each symbol's stream once with `build` and
 * shares it among all subscribers. When the last subscriber leaves, or the stream errors or
 * completes, the share resets, so the next subscriber asks the origin afresh: for ccxt that
 * is the next `watch*` call, which is what redials a dropped WebSocket.
 */
export function sharedPerSymbol(
  build: (symbol: string) => Observable<PriceTick>,
): (symbol: string) => Observable<PriceTick> {
  const streams = new Map<string, Observable<PriceTick>>();
  return (symbol) => {
    let stream = streams.get(symbol);
    if (stream === undefined) {
      stream = build(symbol).pipe(
        share({ resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }),
      );
      streams.set(symbol, stream);
    }
    return stream;
  };
}
