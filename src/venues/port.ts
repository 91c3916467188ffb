import type { DecimalString, Millis, Side } from '../domain/types.ts';

/**
 * The exchange port: what the live engine needs of a venue, in the engine's own words. No ccxt
 * type travels past an adapter; prices and quantities are decimal strings, times are the
 * venue's milliseconds.
 */

/** Which price a resting stop watches. */
export type WorkingType = 'MARK_PRICE' | 'CONTRACT_PRICE';

/** One open position as the venue reports it (one-way mode: one per symbol). */
export interface VenuePosition {
  /** The venue's market id, e.g. `BTCUSDT`. */
  readonly symbol: string;
  readonly side: Side;
  /** Absolute size in contracts/base units. */
  readonly quantity: DecimalString;
  readonly entryPrice: DecimalString;
  /** When the venue says the position opened (or last changed, when it reports no opening time). */
  readonly openedAt: Millis;
  /** The mark price the venue reported with the position, when it did. */
  readonly markPrice?: DecimalString | undefined;
}

/** What became of a stop order. `triggered` means it fired (its fill is not implied). */
export type StopStatus = 'open' | 'triggered' | 'cancelled' | 'expired' | 'rejected';

/** One conditional (stop-market) order on the venue. */
export interface VenueStopOrder {
  /** The venue's order id (Binance: the algoId). */
  readonly id: string;
  /** The client id the order was placed with; ours start with the engine's prefix. */
  readonly clientId: string;
  readonly symbol: string;
  /** The side of the position the stop closes (a SELL stop protects a long). */
  readonly positionSide: Side;
  readonly stopPrice: DecimalString;
  /** Undefined for a closePosition stop (it closes whatever is open). */
  readonly quantity: DecimalString | undefined;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly status: StopStatus;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/** A request to rest a reduce-only stop-market order for a position. */
export interface PlaceStopRequest {
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: DecimalString;
  readonly stopPrice: DecimalString;
  readonly clientId: string;
  readonly workingType: WorkingType;
}

/** A request to close (part of) a position at market, reduce-only. */
export interface CloseMarketRequest {
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: DecimalString;
  readonly clientId: string;
}

/** A market order's outcome. */
export interface MarketOrderResult {
  readonly id: string;
  readonly clientId: string;
  readonly status: 'filled' | 'expired' | 'open';
  readonly filledQuantity: DecimalString;
  readonly averagePrice: DecimalString | undefined;
}

/** A market's trading grid. */
export interface VenueMarket {
  readonly symbol: string;
  readonly tickSize: DecimalString;
  readonly stepSize: DecimalString;
}

/**
 * How the engine must treat a failed call; an adapter maps its library's errors to these.
 * - `retryable`: the venue did not act (overload, maintenance, 5xx); retry with backoff.
 * - `rateLimited`: retry after `retryAfterMs` (or backoff).
 * - `unknownOutcome`: the request may have been executed (timeout, lost answer): look it up by
 *   client id before sending anything else.
 * - `clockSkew`: the venue refused the timestamp; resync the time, then retry.
 * - `auth`: the key is refused: stop sending, alert.
 * - `notFound`: the order does not exist (any more).
 * - `immediatelyTriggers`: the stop is already past the price: exit at market.
 * - `tooManyStops`: the account is at its conditional-order limit.
 * - `closePositionConflict`: a closePosition stop already rests in that direction (-4130).
 * - `noPosition`: a reduce-only order found nothing to reduce.
 * - `insufficientFunds`: recheck the position.
 * - `invalid`: the venue refused the request as malformed; do not repeat it, alert.
 * - `exchange`: any other refusal.
 */
export type VenueErrorKind =
  | 'retryable'
  | 'rateLimited'
  | 'unknownOutcome'
  | 'clockSkew'
  | 'auth'
  | 'notFound'
  | 'immediatelyTriggers'
  | 'tooManyStops'
  | 'closePositionConflict'
  | 'noPosition'
  | 'insufficientFunds'
  | 'invalid'
  | 'exchange';

/** A venue call failed; `kind` says what the engine may do next. */
export class VenueError extends Error {
  override readonly name = 'VenueError';
  /**
   * @param kind how to treat the failure
   * @param message the venue's words, with credentials never included
   * @param details the venue's code and retry hint, when given
   */
  constructor(
    readonly kind: VenueErrorKind,
    message: string,
    readonly details: { readonly code?: string; readonly retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** What a venue can do, so the engine picks its way of moving a stop. */
export interface VenueCapabilities {
  /** The position's stop can be moved in one atomic call (Bybit trading-stop). */
  readonly atomicStopAmend: boolean;
}

/** A change the venue pushed on the user-data stream, or `reconnected` when it (re)opened. */
export type AccountEvent =
  | {
      readonly type: 'position';
      readonly position: VenuePosition | { readonly symbol: string; readonly closed: true };
      readonly ts: Millis;
    }
  | { readonly type: 'stop'; readonly order: VenueStopOrder; readonly ts: Millis }
  | { readonly type: 'reconnected'; readonly ts: Millis };

/**
 * The adapter's price client, handed to `src/streams` (ccxtWatchSource and restPollingSource
 * read it structurally): the venue's WebSocket trades/ticker/mark price and REST ticker.
 */
export interface PriceClient {
  watchTrades(symbol: string): Promise<
    readonly {
      symbol?: string | undefined;
      timestamp?: number | undefined;
      price?: number | string | undefined;
    }[]
  >;
  watchTicker(symbol: string): Promise<{
    symbol?: string | undefined;
    timestamp?: number | undefined;
    last?: number | string | undefined;
    markPrice?: number | string | undefined;
  }>;
  watchMarkPrice?(symbol: string): Promise<{
    symbol?: string | undefined;
    timestamp?: number | undefined;
    last?: number | string | undefined;
    markPrice?: number | string | undefined;
  }>;
  fetchTicker(symbol: string): Promise<{
    symbol?: string | undefined;
    timestamp?: number | undefined;
    last?: number | string | undefined;
    markPrice?: number | string | undefined;
  }>;
}

/** The engine's view of one exchange account. Every method rejects with a VenueError. */
export interface Venue {
  /** The ccxt id, e.g. `binanceusdm`. */
  readonly id: string;
  readonly capabilities: VenueCapabilities;
  /**
   * The price client for the streams. Its symbols are the venue's unified symbols: map with
   * `unifiedSymbol`.
   */
  readonly prices: PriceClient;
  /** Returns the symbol the price client expects for a market id (e.g. `BTC/USDT:USDT`). */
  unifiedSymbol(symbol: string): string;
  /** Returns the venue's clock (ms), resyncing the adapter's offset. */
  fetchTime(): Promise<Millis>;
  /** Returns the listed markets by symbol. */
  loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>>;
  /** Returns the account's equity in USDT: wallet balance plus unrealized profit, exact. */
  fetchEquity(): Promise<DecimalString>;
  /** Returns every open position on the account. */
  fetchPositions(): Promise<VenuePosition[]>;
  /**
   * Returns the open conditional orders of `symbols` (venue ids), or of the whole account when
   * `symbols` is undefined. Naming the symbols is cheaper where the venue weighs an account-wide
   * read (Binance counts 40 against 1 per symbol).
   */
  fetchOpenStops(symbols?: readonly string[]): Promise<VenueStopOrder[]>;
  /** Returns the stop placed with `clientId`, whatever its status; undefined when the venue has none. */
  fetchStopByClientId(symbol: string, clientId: string): Promise<VenueStopOrder | undefined>;
  /** Rests a reduce-only stop-market order; resolves once the venue acknowledged it. */
  placeStop(request: PlaceStopRequest): Promise<VenueStopOrder>;
  /**
   * Moves a resting stop in one atomic call; only venues whose capabilities say
   * `atomicStopAmend` implement it (others reject `invalid`).
   */
  amendStop(id: string, request: PlaceStopRequest): Promise<VenueStopOrder>;
  /** Cancels a stop by its venue id; rejects `notFound` when it is gone. */
  cancelStop(symbol: string, id: string): Promise<void>;
  /** Sends a reduce-only market order. */
  closeMarket(request: CloseMarketRequest): Promise<MarketOrderResult>;
  /** Returns the market order placed with `clientId`; undefined when the venue has none. */
  fetchMarketOrderByClientId(
    symbol: string,
    clientId: string,
  ): Promise<MarketOrderResult | undefined>;
  /**
   * Calls `listener` with every account change pushed by the venue until the returned function
   * is called; it reports `reconnected` whenever the stream (re)opens — once it is first open,
   * and after a drop once it has redialled — so the engine reconciles over REST knowing no later
   * change can be missed. Errors that end the stream for good go to `onError`.
   */
  watchAccount(
    listener: (event: AccountEvent) => void,
    onError: (error: VenueError) => void,
  ): () => void;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}
