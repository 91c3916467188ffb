import { Decimal } from 'decimal.js';
import type { Clock } from './clock.ts';
import { errors } from './errors.ts';
import { applyFill, reducibleQty } from './ledger.ts';
import { newAlgoOrder, validateAlgoRequest } from './algoOrders.ts';
import {
  algoOrderFromState,
  algoOrderToState,
  positionFromState,
  positionToState,
  type ExchangeState,
} from './exchangeState.ts';
import { isMultipleOf, roundTo, type SymbolSpec } from './markets.ts';
import { OpenAlgoOrders } from './openAlgoOrders.ts';
import { ProtectionTracker, type Cover } from './protection.ts';
import { RecentMap } from './recentMap.ts';
import { RecentOrders } from './recentOrders.ts';
import { retentionOf, type Retention } from './retention.ts';
import { TickerStats } from './tickerStats.ts';
import { observe, stopReached, watchedPrice, wouldTriggerImmediately } from './triggers.ts';
import type {
  AlgoOrder,
  Fill,
  MarketOrder,
  OrderSide,
  Position,
  PositionStop,
  WorkingType,
} from './types.ts';
import { accountUpdate, algoUpdate, orderTradeUpdate } from './wire.ts';
import type {
  AccountChange,
  AlgoOrderRequest,
  ExchangeListener,
  MarketOrderRequest,
  TradeTick,
} from './requests.ts';

export type {
  AccountChange,
  AlgoOrderRequest,
  ExchangeListener,
  MarketOrderRequest,
  TradeTick,
} from './requests.ts';

/** The per-symbol market state. */
interface Book {
  readonly spec: SymbolSpec;
  last: Decimal;
  mark: Decimal;
  readonly stats: TickerStats;
}

/** Options of an EmulatedExchange; every field has a default. */
export interface ExchangeOptions {
  /** The USDT wallet at start; default 10 000. */
  readonly initialWallet?: Decimal;
  /** How much finished history to keep; defaults in DEFAULT_RETENTION. */
  readonly retention?: Partial<Retention>;
  /**
   * Open conditional orders the account may hold, all symbols together; one more answers -4045.
   * Default 200, Binance's account limit since 2025-12-29 (the per-symbol filter is gone).
   */
  readonly maxOpenAlgoOrders?: number;
}

/** How many things the exchange holds, for proving that it runs in bounded memory. */
export interface RetainedSizes {
  readonly openAlgoOrders: number;
  readonly finishedAlgoOrders: number;
  readonly algoClientIds: number;
  readonly orders: number;
  readonly orderClientIds: number;
  readonly fills: number;
  readonly positions: number;
  readonly protectionRecords: number;
}

/** What produced a market order: a conditional order, a position stop, or nothing (a plain order). */
type Origin = { readonly algo: AlgoOrder } | { readonly positionStop: PositionStop } | undefined;

/**
 * The emulated account and matching engine: prices, one-way positions, market orders that fill
 * at the last price, conditional orders that trigger by Binance's rules and position stops as
 * Bybit keeps them. Every state change emits the user-data events a real account would (Binance's
 * shapes on `user`, wire-neutral changes on `account`), and updates the unprotected-time tracker.
 * Open things are kept; finished orders, fills and closed protection records only up to the
 * retention counts.
 */
export class EmulatedExchange {
  private readonly books = new Map<string, Book>();
  private readonly positions = new Map<string, Position>();
  private readonly openAlgoOrders = new OpenAlgoOrders();
  /** Open conditional orders whose cancel has arrived (bounded by the open orders). */
  private readonly cancelAsked = new Set<number>();
  /** At most one per listed symbol, so bounded by the listing. */
  private readonly positionStops = new Map<string, PositionStop>();
  private readonly finishedAlgos: RecentOrders<AlgoOrder>;
  private readonly orders: RecentOrders<MarketOrder>;
  private readonly fills: RecentMap<number, Fill>;
  private readonly listeners = new Set<ExchangeListener>();
  readonly protection: ProtectionTracker;
  readonly retention: Retention;
  readonly maxOpenAlgoOrders: number;
  private wallet: Decimal;
  private nextOrderId = 8_000_000_001;
  private nextAlgoId = 4_000_000_001;
  private nextTradeId = 1;
  private clientSeq = 0;

  /** Returns an exchange listing `specs`, each starting at its spec's start price. */
  constructor(
    specs: readonly SymbolSpec[],
    readonly clock: Clock,
    options: ExchangeOptions = {},
  ) {
    for (const spec of specs) {
      const start = new Decimal(spec.startPrice);
      this.books.set(spec.symbol, { spec, last: start, mark: start, stats: new TickerStats() });
    }
    this.wallet = options.initialWallet ?? new Decimal(10_000);
    this.retention = retentionOf(options.retention);
    this.maxOpenAlgoOrders = options.maxOpenAlgoOrders ?? 200;
    if (!Number.isInteger(this.maxOpenAlgoOrders) || this.maxOpenAlgoOrders < 0)
      throw new RangeError(`maxOpenAlgoOrders ${this.maxOpenAlgoOrders} is not a whole number ≥ 0`);
    this.finishedAlgos = new RecentOrders(
      this.retention.algoOrders,
      (a) => a.algoId,
      (a) => a.clientAlgoId,
    );
    this.orders = new RecentOrders(
      this.retention.orders,
      (o) => o.orderId,
      (o) => o.clientOrderId,
    );
    this.fills = new RecentMap(this.retention.fills);
    this.protection = new ProtectionTracker(this.retention.protectionRecords);
  }

  /** Subscribes to trades and user-data events; returns the unsubscribe function. */
  subscribe(listener: ExchangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Returns the listed specs in listing order. */
  specs(): SymbolSpec[] {
    return [...this.books.values()].map((b) => b.spec);
  }

  /** Returns the book of `symbol`; throws -1121 for an unlisted symbol. */
  book(symbol: string): Readonly<Book> {
    const book = this.books.get(symbol);
    if (book === undefined) throw errors.badSymbol();
    return book;
  }

  /**
   * Records a trade at `price` (rounded to the tick) and, when given, a new mark price; then lets
   * every resting conditional order of the symbol observe the prices it watches.
   */
  trade(
    symbol: string,
    price: Decimal,
    qty: Decimal = new Decimal(0),
    mark?: Decimal,
    isBuyerMaker = false,
  ): void {
    const book = this.books.get(symbol);
    if (book === undefined) throw errors.badSymbol();
    const now = this.clock.now();
    book.last = roundTo(price, book.spec.tickSize);
    book.mark = mark ?? book.last;
    const tick: TradeTick = {
      symbol,
      tradeId: this.nextTradeId++,
      price: book.last,
      qty,
      time: now,
      isBuyerMaker,
    };
    book.stats.add(book.last, qty, tick.tradeId, now);
    for (const l of this.listeners) l.trade?.(tick);
    for (const algo of this.openAlgoOrders.list(symbol)) {
      // An earlier order's fill may have expired this one (closePosition) within this trade.
      if (algo.status !== 'NEW') continue;
      if (observe(algo, watchedPrice(algo, book.last, book.mark))) this.fire(algo);
    }
    // Looked up after the orders: one of them may have closed the position, and its stop with it.
    const stop = this.positionStops.get(symbol);
    if (
      stop !== undefined &&
      stopReached(stop.side, stop.triggerPrice, watchedPrice(stop, book.last, book.mark))
    )
      this.firePositionStop(stop);
  }

  /** Returns the stop of `symbol`'s position, or undefined when none is set. */
  positionStop(symbol: string): Readonly<PositionStop> | undefined {
    return this.positionStops.get(symbol);
  }

  /**
   * Sets the stop of `symbol`'s open position, or moves it in place (its order id stays), to
   * `triggerPrice` watching `workingType`; returns `unchanged` when it already stands there. The
   * wire checks its venue's rules first (price not yet reached, on the tick); this throws only
   * for a flat position, which the wire must refuse before.
   */
  setPositionStop(
    symbol: string,
    triggerPrice: Decimal,
    workingType: WorkingType,
  ): 'set' | 'moved' | 'unchanged' {
    const position = this.position(symbol);
    if (position.amount.isZero()) throw new Error(`no position on ${symbol} to set a stop for`);
    const now = this.clock.now();
    const side: OrderSide = position.amount.isPos() ? 'SELL' : 'BUY';
    const old = this.positionStops.get(symbol);
    if (old?.triggerPrice.eq(triggerPrice) === true && old.workingType === workingType)
      return 'unchanged';
    const stop: PositionStop = old ?? {
      orderId: this.nextOrderId++,
      symbol,
      side,
      triggerPrice,
      workingType,
      createTime: now,
      updateTime: now,
    };
    stop.triggerPrice = triggerPrice;
    stop.workingType = workingType;
    stop.updateTime = now;
    this.positionStops.set(symbol, stop);
    this.change({ kind: 'positionStop', stop, status: 'set' });
    this.refreshProtection(symbol);
    return old === undefined ? 'set' : 'moved';
  }

  /** Clears the stop of `symbol`'s position; returns whether one was set. */
  clearPositionStop(symbol: string): boolean {
    const stop = this.positionStops.get(symbol);
    if (stop === undefined) return false;
    this.positionStops.delete(symbol);
    stop.updateTime = this.clock.now();
    this.change({ kind: 'positionStop', stop, status: 'cleared' });
    this.refreshProtection(symbol);
    return true;
  }

  /** Executes a market order at the last price; throws Binance's error on refusal. */
  placeMarket(req: MarketOrderRequest): MarketOrder {
    const book = this.book(req.symbol);
    if (req.quantity === undefined) throw errors.mandatoryMissing('quantity');
    if (req.quantity.lte(0)) throw errors.badStep();
    if (!isMultipleOf(req.quantity, book.spec.stepSize)) throw errors.badParam('quantity');
    const position = this.position(req.symbol);
    let qty = req.quantity;
    if (req.reduceOnly) {
      qty = reducibleQty(position, req.side, req.quantity);
      if (qty.isZero()) throw errors.reduceOnlyRejected();
    }
    return this.execute(
      req.symbol,
      req.side,
      qty,
      req.quantity,
      req.reduceOnly,
      req.clientOrderId,
      undefined,
    );
  }

  /**
   * Accepts a conditional order; throws as Binance does: -4045 past the account's open-order
   * limit, -4116 for the client id of an open order, -4509 for a closePosition order without a position, -4130 for a second closePosition
   * order of one type and side, -2021 when it would trigger at once, and the validation errors.
   */
  placeAlgo(req: AlgoOrderRequest): AlgoOrder {
    const book = this.book(req.symbol);
    validateAlgoRequest(req, book.spec);
    if (this.openAlgoOrders.size >= this.maxOpenAlgoOrders) throw errors.tooManyStops();
    // Client ids are unique among open orders; a finished order's id may be reused.
    if (
      req.clientAlgoId !== undefined &&
      this.openAlgoOrders.getByClientId(req.clientAlgoId) !== undefined
    )
      throw errors.duplicateClientId();
    if (req.closePosition) {
      if (this.position(req.symbol).amount.isZero()) throw errors.gteWithoutPosition();
      const twin = this.openAlgoOrders
        .list(req.symbol)
        .some((a) => a.closePosition && a.side === req.side && a.orderType === req.orderType);
      if (twin) throw errors.closePositionExists();
    }
    const now = this.clock.now();
    const algo = newAlgoOrder(
      req,
      this.nextAlgoId++,
      req.clientAlgoId ?? `emu${++this.clientSeq}`,
      now,
    );
    const price = watchedPrice(algo, book.last, book.mark);
    if (wouldTriggerImmediately(algo, price)) throw errors.wouldTrigger();
    // Without an activation price a trailing order is active at once, tracking from now.
    observe(algo, price);
    this.openAlgoOrders.add(algo);
    this.emit(algoUpdate(algo, now));
    this.refreshProtection(req.symbol);
    return algo;
  }

  /** Cancels a resting conditional order by id or client id; throws -2011 if none rests. */
  cancelAlgo(
    symbol: string | undefined,
    algoId: number | undefined,
    clientAlgoId: string | undefined,
  ): AlgoOrder {
    const algo = this.findAlgo(algoId, clientAlgoId);
    if (
      algo === undefined ||
      algo.status !== 'NEW' ||
      (symbol !== undefined && algo.symbol !== symbol)
    ) {
      throw errors.unknownOrder();
    }
    this.finishAlgo(algo, 'CANCELED');
    return algo;
  }

  /** Cancels every resting conditional order of `symbol`; returns how many were canceled. */
  cancelAllAlgos(symbol: string): number {
    this.book(symbol);
    const open = this.openAlgos(symbol);
    for (const algo of open) this.finishAlgo(algo, 'CANCELED');
    return open.length;
  }

  /**
   * Returns the conditional order with that id or client id: a resting one, or a finished one
   * still retained; undefined for an unknown or forgotten one.
   */
  findAlgo(algoId: number | undefined, clientAlgoId: string | undefined): AlgoOrder | undefined {
    if (algoId !== undefined)
      return this.openAlgoOrders.get(algoId) ?? this.finishedAlgos.get(algoId);
    if (clientAlgoId === undefined) return undefined;
    return (
      this.openAlgoOrders.getByClientId(clientAlgoId) ??
      this.finishedAlgos.getByClientId(clientAlgoId)
    );
  }

  /** Returns the resting conditional orders, of one symbol or all, oldest first. */
  openAlgos(symbol?: string): AlgoOrder[] {
    return this.openAlgoOrders.list(symbol);
  }

  /** Returns the retained finished conditional orders, oldest first. */
  finishedAlgoOrders(): AlgoOrder[] {
    return this.finishedAlgos.values();
  }

  /** Returns the retained matching-engine order with that id or client id. */
  findOrder(
    orderId: number | undefined,
    clientOrderId: string | undefined,
  ): MarketOrder | undefined {
    if (orderId !== undefined) return this.orders.get(orderId);
    return clientOrderId === undefined ? undefined : this.orders.getByClientId(clientOrderId);
  }

  /** Returns the retained matching-engine orders, oldest first. */
  recentOrders(): MarketOrder[] {
    return this.orders.values();
  }

  /** Returns the retained executions, oldest first. */
  recentFills(): Fill[] {
    return this.fills.values();
  }

  /** Returns how many things the exchange holds. */
  retained(): RetainedSizes {
    return {
      openAlgoOrders: this.openAlgoOrders.size,
      finishedAlgoOrders: this.finishedAlgos.size,
      algoClientIds: this.finishedAlgos.clientIds,
      orders: this.orders.size,
      orderClientIds: this.orders.clientIds,
      fills: this.fills.size,
      positions: this.positions.size,
      protectionRecords: this.protection.closedCount(),
    };
  }

  /** Returns the position of `symbol` (a flat one when none is open). */
  position(symbol: string): Position {
    const found = this.positions.get(symbol);
    if (found !== undefined) return found;
    const now = this.clock.now();
    const flat: Position = {
      symbol,
      amount: new Decimal(0),
      entryPrice: new Decimal(0),
      realizedPnl: new Decimal(0),
      openedAt: now,
      updateTime: 0,
    };
    this.positions.set(symbol, flat);
    return flat;
  }

  /**
   * Returns what a paper run keeps across restarts: prices, open positions, resting conditional
   * orders, the wallet and the id counters (see {@link ExchangeState}).
   */
  saveState(): ExchangeState {
    return {
      prices: Object.fromEntries(
        [...this.books].map(([symbol, b]) => [
          symbol,
          { last: b.last.toString(), mark: b.mark.toString() },
        ]),
      ),
      positions: [...this.positions.values()]
        .filter((p) => !p.amount.isZero())
        .map(positionToState),
      openAlgoOrders: this.openAlgoOrders.list().map(algoOrderToState),
      wallet: this.wallet.toString(),
      nextOrderId: this.nextOrderId,
      nextAlgoId: this.nextAlgoId,
      nextTradeId: this.nextTradeId,
      clientSeq: this.clientSeq,
    };
  }

  /**
   * Puts a saved account back, on a fresh exchange (before any trade or order): prices of listed
   * symbols, positions and resting orders as they were, and counters that never reuse an id.
   * Unprotected time is measured again from now. Throws -1121 for a position or order on a
   * symbol this exchange does not list.
   */
  restoreState(state: ExchangeState): void {
    for (const [symbol, price] of Object.entries(state.prices)) {
      const book = this.books.get(symbol);
      if (book === undefined) continue;
      book.last = new Decimal(price.last);
      book.mark = new Decimal(price.mark);
    }
    for (const saved of state.positions) {
      this.book(saved.symbol);
      this.positions.set(saved.symbol, positionFromState(saved));
    }
    for (const saved of state.openAlgoOrders) {
      this.book(saved.symbol);
      this.openAlgoOrders.add(algoOrderFromState(saved));
    }
    this.wallet = new Decimal(state.wallet);
    const highestAlgo = Math.max(0, ...state.openAlgoOrders.map((o) => o.algoId));
    this.nextOrderId = Math.max(this.nextOrderId, state.nextOrderId);
    this.nextAlgoId = Math.max(this.nextAlgoId, state.nextAlgoId, highestAlgo + 1);
    this.nextTradeId = Math.max(this.nextTradeId, state.nextTradeId);
    this.clientSeq = Math.max(this.clientSeq, state.clientSeq);
    for (const symbol of this.books.keys()) this.refreshProtection(symbol);
  }

  /** Returns the USDT wallet balance (initial balance plus realised PnL; no fees are charged). */
  walletBalance(): Decimal {
    return this.wallet;
  }

  /**
   * Notes that a cancel of the open conditional order `algoId` (or `clientAlgoId`) reached the
   * exchange, before any injected latency holds it: the protection records tell a leftover whose
   * cancel was asked for before a position opened from one cancelled under it.
   */
  noteCancelRequested(algoId: number | undefined, clientAlgoId: string | undefined): void {
    const algo =
      algoId !== undefined
        ? this.openAlgoOrders.get(algoId)
        : clientAlgoId !== undefined
          ? this.openAlgoOrders.getByClientId(clientAlgoId)
          : undefined;
    if (algo !== undefined) this.cancelAsked.add(algo.algoId);
  }

  private fire(algo: AlgoOrder): void {
    const now = this.clock.now();
    this.openAlgoOrders.remove(algo);
    this.cancelAsked.delete(algo.algoId);
    algo.status = 'TRIGGERING';
    algo.triggerTime = now;
    algo.updateTime = now;
    this.emit(algoUpdate(algo, now));
    const position = this.position(algo.symbol);
    const restricted = algo.reduceOnly || algo.closePosition;
    const qty = restricted
      ? reducibleQty(position, algo.side, algo.quantity)
      : (algo.quantity ?? new Decimal(0));
    if (qty.isZero()) {
      algo.rejectReason = 'Reduce Only reject';
      this.finishAlgo(algo, 'EXPIRED');
      return;
    }
    const order = this.execute(
      algo.symbol,
      algo.side,
      qty,
      algo.quantity ?? qty,
      restricted,
      undefined,
      { algo },
    );
    algo.actualOrderId = order.orderId;
    algo.executedQty = order.executedQty;
    algo.avgPrice = order.avgPrice;
    algo.status = 'TRIGGERED';
    this.emit(algoUpdate(algo, now));
    this.finishAlgo(algo, 'FINISHED');
  }

  private finishAlgo(algo: AlgoOrder, status: 'CANCELED' | 'EXPIRED' | 'FINISHED'): void {
    const now = this.clock.now();
    this.openAlgoOrders.remove(algo);
    this.cancelAsked.delete(algo.algoId);
    this.finishedAlgos.add(algo);
    algo.status = status;
    algo.updateTime = now;
    this.emit(algoUpdate(algo, now));
    this.refreshProtection(algo.symbol);
  }

  /** Closes the whole position at market: the stop is spent, whatever the fill. */
  private firePositionStop(stop: PositionStop): void {
    this.positionStops.delete(stop.symbol);
    stop.updateTime = this.clock.now();
    this.change({ kind: 'positionStop', stop, status: 'triggered' });
    const position = this.position(stop.symbol);
    const qty = reducibleQty(position, stop.side, position.amount.abs());
    if (qty.isZero()) {
      this.refreshProtection(stop.symbol);
      return;
    }
    this.execute(stop.symbol, stop.side, qty, qty, true, undefined, { positionStop: stop });
  }

  private execute(
    symbol: string,
    side: OrderSide,
    qty: Decimal,
    origQty: Decimal,
    reduceOnly: boolean,
    clientOrderId: string | undefined,
    origin: Origin,
  ): MarketOrder {
    const book = this.book(symbol);
    const now = this.clock.now();
    const price = book.last;
    const algo = origin !== undefined && 'algo' in origin ? origin.algo : undefined;
    const positionStop =
      origin !== undefined && 'positionStop' in origin ? origin.positionStop : undefined;
    const order: MarketOrder = {
      orderId: this.nextOrderId++,
      clientOrderId: clientOrderId ?? `emu${++this.clientSeq}`,
      symbol,
      side,
      origType: algo?.orderType ?? (positionStop === undefined ? 'MARKET' : 'STOP_MARKET'),
      origQty,
      reduceOnly,
      closePosition: algo?.closePosition ?? positionStop !== undefined,
      workingType: algo?.workingType ?? positionStop?.workingType ?? 'CONTRACT_PRICE',
      stopPrice: algo?.triggerPrice ?? positionStop?.triggerPrice ?? new Decimal(0),
      positionStopId: positionStop?.orderId,
      time: now,
      status: 'FILLED',
      executedQty: qty,
      avgPrice: price,
      realizedPnl: new Decimal(0),
      updateTime: now,
    };
    this.orders.add(order);
    this.emit(orderTradeUpdate(order, 'NEW', now, undefined));
    this.change({ kind: 'order', order, fill: undefined });
    const position = this.position(symbol);
    const effect = applyFill(position, side, qty, price);
    if (
      position.amount.isZero() ||
      effect.amount.isZero() ||
      position.amount.isNeg() !== effect.amount.isNeg()
    ) {
      position.openedAt = now;
      position.realizedPnl = new Decimal(0);
    }
    const closedOrFlipped =
      !position.amount.isZero() &&
      (effect.amount.isZero() || position.amount.isNeg() !== effect.amount.isNeg());
    position.amount = effect.amount;
    position.entryPrice = effect.entryPrice;
    position.realizedPnl = position.realizedPnl.plus(effect.realized);
    position.updateTime = now;
    order.realizedPnl = effect.realized;
    this.wallet = this.wallet.plus(effect.realized);
    const tradeId = this.nextTradeId++;
    const fill: Fill = {
      tradeId,
      orderId: order.orderId,
      algoId: algo?.algoId,
      symbol,
      side,
      price: price.toString(),
      quantity: qty.toString(),
      realizedPnl: effect.realized.toString(),
      time: now,
    };
    this.fills.set(tradeId, fill);
    this.emit(orderTradeUpdate(order, 'TRADE', now, { qty, price, tradeId }));
    this.change({ kind: 'order', order, fill });
    this.emit(accountUpdate(position, book.mark, this.wallet, now));
    this.change({ kind: 'position', symbol });
    if (closedOrFlipped) {
      // closePosition orders (GTE_GTC) live only as long as the position they close.
      for (const a of this.openAlgoOrders.list(symbol))
        if (a.closePosition) this.finishAlgo(a, 'EXPIRED');
      // So does a position stop (Bybit drops it with its position).
      this.clearPositionStop(symbol);
    }
    this.refreshProtection(symbol);
    return order;
  }

  /** A position counts as protected while its stop is set or a closing-side conditional order rests. */
  private refreshProtection(symbol: string): void {
    const position = this.position(symbol);
    const side = position.amount.isZero() ? undefined : position.amount.isPos() ? 'long' : 'short';
    const closing: OrderSide = side === 'long' ? 'SELL' : 'BUY';
    const cover: Cover[] = [];
    const stop = this.positionStops.get(symbol);
    if (stop?.side === closing) cover.push({ id: 'position', cancelAsked: false });
    for (const a of this.openAlgos(symbol))
      if (a.side === closing && a.orderType !== 'TAKE_PROFIT_MARKET')
        cover.push({ id: String(a.algoId), cancelAsked: this.cancelAsked.has(a.algoId) });
    this.protection.update(symbol, side, cover, this.clock.now());
  }

  private emit(event: Record<string, unknown>): void {
    for (const l of this.listeners) l.user?.(event);
  }

  private change(change: AccountChange): void {
    for (const l of this.listeners) l.account?.(change);
  }
}
