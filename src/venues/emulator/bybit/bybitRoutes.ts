import { Decimal } from 'decimal.js';
import type { EmulatedExchange } from '../exchange.ts';
import { isMultipleOf } from '../markets.ts';
import { watchedPrice } from '../triggers.ts';
import type { MarketOrder, PositionStop, WorkingType } from '../types.ts';
import { unrealized } from '../wire.ts';
import { BinanceError, bybitErrorOf, bybitErrors } from './bybitError.ts';
import { bybitOrderId, coreOrderNumber } from './bybitIds.ts';
import {
  instrumentJson,
  marketOrderJson,
  positionJson,
  stopOrderJson,
  tickerJson,
} from './bybitWire.ts';

/** One request's parameters: the query of a GET, the JSON body of a POST. */
export type BybitParams = Readonly<Record<string, unknown>>;

/** What a route handler sees of one request. */
export interface BybitRouteContext {
  readonly params: BybitParams;
  readonly exchange: EmulatedExchange;
  readonly now: number;
}

/** One emulated v5 endpoint: public or signed, and what it answers in `result`. */
export interface BybitRoute {
  readonly signed: boolean;
  readonly handle: (ctx: BybitRouteContext) => unknown;
}

function text(p: BybitParams, name: string): string | undefined {
  const v = p[name];
  if (typeof v === 'string') return v === '' ? undefined : v;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

function flag(p: BybitParams, name: string): boolean {
  const v = p[name];
  return v === true || v === 'true';
}

function decimal(p: BybitParams, name: string): Decimal | undefined {
  const v = text(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw bybitErrors.params(`params error: ${name} invalid`);
  return new Decimal(v);
}

function linearOnly(p: BybitParams): boolean {
  const category = text(p, 'category');
  if (category === undefined) throw bybitErrors.params('params error: category is required');
  if (!['linear', 'inverse', 'spot', 'option'].includes(category))
    throw bybitErrors.params('params error: category invalid');
  return category === 'linear';
}

/** Runs the shared core's `fn`, answering its Binance-coded refusals in Bybit's terms. */
function core<T>(ctx: BybitRouteContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BinanceError) throw bybitErrorOf(e, ctx.now);
    throw e;
  }
}

function listedSymbol(ctx: BybitRouteContext, required: boolean): string | undefined {
  const symbol = text(ctx.params, 'symbol');
  if (symbol === undefined) {
    if (required) throw bybitErrors.params('params error: symbol is required');
    return undefined;
  }
  core(ctx, () => ctx.exchange.book(symbol));
  return symbol;
}

function symbolsOf(ctx: BybitRouteContext): string[] {
  const one = listedSymbol(ctx, false);
  return one === undefined ? ctx.exchange.specs().map((s) => s.symbol) : [one];
}

/** Linear list queries need a symbol, a settle coin or a base coin, as on Bybit. */
function requireScope(p: BybitParams): void {
  if (
    text(p, 'symbol') === undefined &&
    text(p, 'settleCoin') === undefined &&
    text(p, 'baseCoin') === undefined
  )
    throw bybitErrors.params(
      'Missing some parameters that must be filled in, symbol or settleCoin or baseCoin',
    );
}

const list = (category: string, rows: unknown[]) => ({
  category,
  list: rows,
  nextPageCursor: '',
});

function triggerBy(p: BybitParams, name: string): WorkingType {
  const by = text(p, name) ?? 'LastPrice';
  if (by === 'LastPrice') return 'CONTRACT_PRICE';
  if (by === 'MarkPrice') return 'MARK_PRICE';
  if (by === 'IndexPrice') throw bybitErrors.notEmulated(`${name} IndexPrice`);
  throw bybitErrors.params(`params error: ${name} invalid`);
}

/**
 * `POST /v5/position/trading-stop`, the part a stop engine uses: a Full-mode market stop loss on
 * a one-way position, set, moved in place or cleared ("0"). Take-profit, trailing and partial
 * modes are refused as not emulated.
 */
function tradingStop(ctx: BybitRouteContext): unknown {
  const p = ctx.params;
  if (!linearOnly(p)) throw bybitErrors.notEmulated('trading-stop outside the linear category');
  const symbol = listedSymbol(ctx, true) as string;
  if ((text(p, 'positionIdx') ?? '0') !== '0')
    throw bybitErrors.params('position idx not match position mode');
  const mode = text(p, 'tpslMode');
  if (mode === undefined) throw bybitErrors.params('params error: tpslMode is required');
  if (mode !== 'Full') throw bybitErrors.notEmulated(`tpslMode ${mode}`);
  for (const name of ['takeProfit', 'trailingStop', 'activePrice']) {
    const v = decimal(p, name);
    if (v !== undefined && !v.isZero()) throw bybitErrors.notEmulated(name);
  }
  if ((text(p, 'slOrderType') ?? 'Market') !== 'Market')
    throw bybitErrors.notEmulated('slOrderType Limit');
  const stopLoss = decimal(p, 'stopLoss');
  if (stopLoss === undefined) throw bybitErrors.notModified();
  const ex = ctx.exchange;
  const position = ex.position(symbol);
  if (position.amount.isZero()) throw bybitErrors.zeroPosition();
  if (stopLoss.isZero()) {
    if (!ex.clearPositionStop(symbol)) throw bybitErrors.notModified();
    return {};
  }
  const book = ex.book(symbol);
  if (!isMultipleOf(stopLoss, book.spec.tickSize))
    throw bybitErrors.params(
      `StopLoss:${stopLoss.toString()} is not a multiple of the tick size ${book.spec.tickSize}`,
    );
  const workingType = triggerBy(p, 'slTriggerBy');
  const base = watchedPrice({ workingType }, book.last, book.mark);
  const long = position.amount.isPos();
  if (long ? stopLoss.gte(base) : stopLoss.lte(base))
    throw bybitErrors.stopPastBase(
      long ? 'Buy' : 'Sell',
      stopLoss.toString(),
      base.toString(),
      workingType === 'MARK_PRICE' ? 'MarkPrice' : 'LastPrice',
    );
  if (ex.setPositionStop(symbol, stopLoss, workingType) === 'unchanged')
    throw bybitErrors.notModified();
  return {};
}

/** `POST /v5/order/create`: market orders only (reduce-only or not); conditional ones are refused. */
function createOrder(ctx: BybitRouteContext): unknown {
  const p = ctx.params;
  if (!linearOnly(p)) throw bybitErrors.notEmulated('orders outside the linear category');
  const symbol = listedSymbol(ctx, true) as string;
  const side = text(p, 'side');
  if (side !== 'Buy' && side !== 'Sell') throw bybitErrors.params('params error: side invalid');
  const type = text(p, 'orderType');
  if (type !== 'Market') throw bybitErrors.notEmulated(`orderType ${type ?? '(none)'}`);
  for (const name of ['triggerPrice', 'takeProfit', 'stopLoss'])
    if (text(p, name) !== undefined) throw bybitErrors.notEmulated(`${name} on an order`);
  if ((text(p, 'positionIdx') ?? '0') !== '0')
    throw bybitErrors.params('position idx not match position mode');
  const qty = decimal(p, 'qty');
  const book = ctx.exchange.book(symbol);
  if (qty === undefined || qty.lte(0) || !isMultipleOf(qty, book.spec.stepSize))
    throw bybitErrors.params(
      `params error: qty must be a positive multiple of ${book.spec.stepSize}`,
    );
  const link = text(p, 'orderLinkId');
  if (link !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,36}$/.test(link))
      throw bybitErrors.params('params error: orderLinkId invalid');
    if (ctx.exchange.findOrder(undefined, link) !== undefined) throw bybitErrors.duplicateLinkId();
  }
  const reduceOnly = flag(p, 'reduceOnly');
  if (reduceOnly && ctx.exchange.position(symbol).amount.isZero())
    throw bybitErrors.reduceOnlyZero();
  const order = core(ctx, () =>
    ctx.exchange.placeMarket({
      symbol,
      side: side === 'Buy' ? 'BUY' : 'SELL',
      quantity: qty,
      reduceOnly,
      clientOrderId: link ?? '',
    }),
  );
  return { orderId: bybitOrderId(order.orderId), orderLinkId: link ?? '' };
}

/**
 * Returns what a Bybit order id names: a resting position stop, the order its trigger produced
 * (which keeps the stop's id), or a plain market order; undefined when unknown or forgotten.
 */
function orderById(ex: EmulatedExchange, id: string): MarketOrder | PositionStop | undefined {
  const n = coreOrderNumber(id);
  if (n === undefined) return undefined;
  for (const s of ex.specs()) {
    const stop = ex.positionStop(s.symbol);
    if (stop?.orderId === n) return stop;
  }
  return ex.findOrder(n, undefined) ?? ex.recentOrders().find((o) => o.positionStopId === n);
}

function matchesOrder(p: BybitParams, o: MarketOrder): boolean {
  const symbol = text(p, 'symbol');
  return symbol === undefined || o.symbol === symbol;
}

/**
 * `GET /v5/order/realtime`: an order asked for by id or link id whatever its status (ccxt's
 * fetchOrder relies on that for the last 500), otherwise the open orders, which here are the
 * position stops' conditional orders (market orders never rest).
 */
function realtime(ctx: BybitRouteContext): unknown {
  const p = ctx.params;
  if (!linearOnly(p)) return list(text(p, 'category') ?? '', []);
  requireScope(p);
  const ex = ctx.exchange;
  const id = text(p, 'orderId');
  const link = text(p, 'orderLinkId');
  if (id !== undefined || link !== undefined) {
    const order = id === undefined ? ex.findOrder(undefined, link) : orderById(ex, id);
    if (order === undefined || 'triggerPrice' in order) {
      return list('linear', order === undefined ? [] : [stopOrderJson(order, 'Untriggered')]);
    }
    const found = matchesOrder(p, order) && (link === undefined || order.clientOrderId === link);
    return list('linear', found ? [marketOrderJson(order)] : []);
  }
  const filter = text(p, 'orderFilter');
  if (filter === 'Order') return list('linear', []);
  const rows = symbolsOf(ctx)
    .map((s) => ex.positionStop(s))
    .filter((s) => s !== undefined)
    .map((s) => stopOrderJson(s, 'Untriggered'));
  return list('linear', rows);
}

/** `GET /v5/order/history`: the retained market orders, newest first, by id or link id when asked. */
function history(ctx: BybitRouteContext): unknown {
  const p = ctx.params;
  if (!linearOnly(p)) return list(text(p, 'category') ?? '', []);
  const id = text(p, 'orderId');
  const link = text(p, 'orderLinkId');
  const n = id === undefined ? undefined : coreOrderNumber(id);
  const limit = Math.min(50, Math.max(1, Number(text(p, 'limit') ?? '20') || 20));
  const rows = ctx.exchange
    .recentOrders()
    .filter(
      (o) =>
        matchesOrder(p, o) &&
        (id === undefined || o.orderId === n || o.positionStopId === n) &&
        (link === undefined || o.clientOrderId === link),
    )
    .reverse()
    .slice(0, limit)
    .map((o) => marketOrderJson(o));
  return list('linear', rows);
}

function positions(ctx: BybitRouteContext): unknown {
  const p = ctx.params;
  if (!linearOnly(p)) return list(text(p, 'category') ?? '', []);
  requireScope(p);
  const one = text(p, 'symbol') !== undefined;
  const settle = text(p, 'settleCoin');
  if (settle !== undefined && settle !== 'USDT') return list('linear', []);
  // Asked by symbol, Bybit answers even a flat position; by settle coin, the open ones.
  const rows = symbolsOf(ctx)
    .filter((s) => one || !ctx.exchange.position(s).amount.isZero())
    .map((s) => positionJson(ctx.exchange, s, false));
  return list('linear', rows);
}

function walletBalance(ctx: BybitRouteContext): unknown {
  const accountType = text(ctx.params, 'accountType');
  if (accountType !== 'UNIFIED') throw bybitErrors.params('accountType only support UNIFIED');
  const ex = ctx.exchange;
  const upnl = ex
    .specs()
    .reduce(
      (sum, s) => sum.plus(unrealized(ex.position(s.symbol), ex.book(s.symbol).mark)),
      new Decimal(0),
    );
  const wallet = ex.walletBalance();
  const equity = wallet.plus(upnl).toString();
  return {
    list: [
      {
        accountType: 'UNIFIED',
        accountIMRate: '0',
        accountMMRate: '0',
        accountLTV: '0',
        totalEquity: equity,
        totalWalletBalance: wallet.toString(),
        totalMarginBalance: equity,
        totalAvailableBalance: equity,
        totalPerpUPL: upnl.toString(),
        totalInitialMargin: '0',
        totalMaintenanceMargin: '0',
        coin: [
          {
            coin: 'USDT',
            equity,
            usdValue: equity,
            walletBalance: wallet.toString(),
            unrealisedPnl: upnl.toString(),
            cumRealisedPnl: '0',
            availableToWithdraw: '',
            borrowAmount: '0',
            accruedInterest: '0',
            totalOrderIM: '0',
            totalPositionIM: '0',
            totalPositionMM: '0',
            locked: '0',
            bonus: '0',
            marginCollateral: true,
            collateralSwitch: true,
          },
        ],
      },
    ],
  };
}

/** The emulated Bybit v5 endpoints, keyed by "METHOD /path". */
export const bybitRoutes: Readonly<Record<string, BybitRoute>> = {
  'GET /v5/market/time': {
    signed: false,
    handle: (c) => ({
      timeSecond: String(Math.floor(c.now / 1000)),
      timeNano: `${c.now}000000`,
    }),
  },
  'GET /v5/market/instruments-info': {
    signed: false,
    handle: (c) => {
      const category = text(c.params, 'category') ?? '';
      // One page holds every listed contract; pre-launch ones do not exist here.
      if (!linearOnly(c.params) || text(c.params, 'status') === 'PreLaunch')
        return list(category, []);
      return list(
        'linear',
        symbolsOf(c).map((s) => instrumentJson(c.exchange.book(s).spec)),
      );
    },
  },
  'GET /v5/market/tickers': {
    signed: false,
    handle: (c) => {
      if (!linearOnly(c.params)) return list(text(c.params, 'category') ?? '', []);
      return list(
        'linear',
        symbolsOf(c).map((s) => tickerJson(c.exchange, s, c.now)),
      );
    },
  },
  'GET /v5/position/list': { signed: true, handle: positions },
  'POST /v5/position/trading-stop': { signed: true, handle: tradingStop },
  'POST /v5/order/create': { signed: true, handle: createOrder },
  'POST /v5/order/cancel': {
    signed: true,
    // Market orders are filled the instant they exist, so there is never one left to cancel.
    handle: (c) => {
      linearOnly(c.params);
      listedSymbol(c, true);
      throw bybitErrors.orderNotFound();
    },
  },
  'GET /v5/order/realtime': { signed: true, handle: realtime },
  'GET /v5/order/history': { signed: true, handle: history },
  'GET /v5/account/wallet-balance': { signed: true, handle: walletBalance },
  'GET /v5/account/info': {
    signed: true,
    handle: () => ({
      unifiedMarginStatus: 6,
      marginMode: 'REGULAR_MARGIN',
      isMasterTrader: false,
      spotHedgingStatus: 'OFF',
      updatedTime: '0',
      dcpStatus: 'OFF',
      timeWindow: 10,
      smpGroup: 0,
    }),
  },
  'GET /v5/user/query-api': {
    signed: true,
    handle: () => ({
      id: '1',
      note: 'emulator',
      readOnly: 0,
      permissions: { ContractTrade: ['Order', 'Position'], Wallet: ['AccountTransfer'] },
      ips: ['*'],
      type: 1,
      unified: 0,
      uta: 1,
      isMaster: true,
    }),
  },
};
