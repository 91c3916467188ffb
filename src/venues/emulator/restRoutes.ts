import { Decimal } from 'decimal.js';
import { errors } from './errors.ts';
import type { EmulatedExchange } from './exchange.ts';
import type { ListenKeys } from './listenKeys.ts';
import { exchangeInfo, formatTo } from './markets.ts';
import { idParam, parseAlgoOrder, parseMarketOrder, stringParam } from './orderParams.ts';
import { algoOrderJson, marketOrderJson, unrealized } from './wire.ts';

/** What a route handler sees of one request. */
export interface RouteContext {
  readonly params: URLSearchParams;
  readonly exchange: EmulatedExchange;
  readonly listenKeys: ListenKeys;
  readonly weightLimit: number;
  readonly now: number;
}

/** Binance's three security levels for an endpoint. */
export type Security = 'NONE' | 'API_KEY' | 'SIGNED';

/** One emulated endpoint. */
export interface Route {
  readonly security: Security;
  readonly handle: (ctx: RouteContext) => unknown;
}

function symbolsOf(ctx: RouteContext): string[] {
  const one = stringParam(ctx.params, 'symbol');
  if (one !== undefined) {
    ctx.exchange.book(one);
    return [one];
  }
  return ctx.exchange.specs().map((s) => s.symbol);
}

/** A list endpoint answers an object for one symbol and an array without one, as Binance does. */
function perSymbol(ctx: RouteContext, row: (symbol: string) => unknown): unknown {
  const rows = symbolsOf(ctx).map(row);
  return stringParam(ctx.params, 'symbol') === undefined ? rows : rows[0];
}

function positionRows(ctx: RouteContext, v3: boolean): unknown[] {
  const ex = ctx.exchange;
  return symbolsOf(ctx)
    .map((symbol) => ({ p: ex.position(symbol), book: ex.book(symbol) }))
    .filter(({ p }) => !v3 || !p.amount.isZero())
    .map(({ p, book }) => {
      const notional = p.amount.mul(book.mark);
      const common = {
        symbol: p.symbol,
        positionSide: 'BOTH',
        positionAmt: p.amount.toString(),
        entryPrice: p.entryPrice.toString(),
        breakEvenPrice: p.entryPrice.toString(),
        markPrice: book.mark.toString(),
        unRealizedProfit: unrealized(p, book.mark).toString(),
        liquidationPrice: '0',
        isolatedMargin: '0',
        notional: notional.toString(),
        marginAsset: 'USDT',
        isolatedWallet: '0',
        updateTime: p.updateTime,
      };
      if (v3) {
        const im = notional.abs().div(20).toString();
        return {
          ...common,
          initialMargin: im,
          maintMargin: notional.abs().mul('0.004').toString(),
          positionInitialMargin: im,
          openOrderInitialMargin: '0',
          adl: 0,
          bidNotional: '0',
          askNotional: '0',
        };
      }
      return {
        ...common,
        leverage: '20',
        maxNotionalValue: '50000000',
        marginType: 'cross',
        isAutoAddMargin: 'false',
      };
    });
}

/** The emulated Binance endpoints, keyed by "METHOD /path". */
export const routes: Readonly<Record<string, Route>> = {
  'GET /fapi/v1/ping': { security: 'NONE', handle: () => ({}) },
  'GET /fapi/v1/time': { security: 'NONE', handle: (c) => ({ serverTime: c.now }) },
  'GET /fapi/v1/exchangeInfo': {
    security: 'NONE',
    handle: (c) => exchangeInfo(c.exchange.specs(), c.now, c.weightLimit),
  },
  'GET /fapi/v1/ticker/price': {
    security: 'NONE',
    handle: (c) =>
      perSymbol(c, (s) => ({ symbol: s, price: c.exchange.book(s).last.toString(), time: c.now })),
  },
  'GET /fapi/v1/ticker/24hr': {
    security: 'NONE',
    handle: (c) =>
      perSymbol(c, (s) => c.exchange.book(s).stats.json(s, c.now, c.exchange.book(s).last)),
  },
  'GET /fapi/v1/ticker/bookTicker': {
    security: 'NONE',
    handle: (c) =>
      perSymbol(c, (s) => {
        const b = c.exchange.book(s);
        return {
          symbol: s,
          bidPrice: b.last.toString(),
          bidQty: '10',
          askPrice: formatTo(b.last.plus(b.spec.tickSize), b.spec.tickSize),
          askQty: '10',
          time: c.now,
          lastUpdateId: b.stats.lastId,
        };
      }),
  },
  'GET /fapi/v1/premiumIndex': {
    security: 'NONE',
    handle: (c) =>
      perSymbol(c, (s) => {
        const b = c.exchange.book(s);
        const nextFunding = Math.ceil((c.now + 1) / 28_800_000) * 28_800_000;
        return {
          symbol: s,
          markPrice: b.mark.toString(),
          indexPrice: b.mark.toString(),
          estimatedSettlePrice: b.mark.toString(),
          lastFundingRate: '0.00010000',
          interestRate: '0.00010000',
          nextFundingTime: nextFunding,
          time: c.now,
        };
      }),
  },
  'GET /fapi/v1/leverageBracket': {
    security: 'SIGNED',
    handle: (c) =>
      perSymbol(c, (s) => ({
        symbol: s,
        notionalCoef: 1.0,
        brackets: [
          {
            bracket: 1,
            initialLeverage: 125,
            notionalCap: 50000,
            notionalFloor: 0,
            maintMarginRatio: 0.004,
            cum: 0.0,
          },
          {
            bracket: 2,
            initialLeverage: 20,
            notionalCap: 50_000_000,
            notionalFloor: 50000,
            maintMarginRatio: 0.01,
            cum: 300.0,
          },
        ],
      })),
  },
  'GET /fapi/v2/positionRisk': { security: 'SIGNED', handle: (c) => positionRows(c, false) },
  'GET /fapi/v3/positionRisk': { security: 'SIGNED', handle: (c) => positionRows(c, true) },
  'GET /fapi/v2/balance': { security: 'SIGNED', handle: (c) => balanceRows(c) },
  'GET /fapi/v3/balance': { security: 'SIGNED', handle: (c) => balanceRows(c) },
  'POST /fapi/v1/algoOrder': {
    security: 'SIGNED',
    handle: (c) => algoOrderJson(c.exchange.placeAlgo(parseAlgoOrder(c.params))),
  },
  'DELETE /fapi/v1/algoOrder': {
    security: 'SIGNED',
    handle: (c) => {
      const a = c.exchange.cancelAlgo(
        stringParam(c.params, 'symbol'),
        idParam(c.params, 'algoId'),
        stringParam(c.params, 'clientAlgoId'),
      );
      return { algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: '200', msg: 'success' };
    },
  },
  'GET /fapi/v1/algoOrder': {
    security: 'SIGNED',
    handle: (c) => {
      const a = c.exchange.findAlgo(
        idParam(c.params, 'algoId'),
        stringParam(c.params, 'clientAlgoId'),
      );
      if (a === undefined) throw errors.noSuchOrder();
      return algoOrderJson(a);
    },
  },
  'GET /fapi/v1/openAlgoOrders': {
    security: 'SIGNED',
    handle: (c) => c.exchange.openAlgos(stringParam(c.params, 'symbol')).map(algoOrderJson),
  },
  'DELETE /fapi/v1/algoOpenOrders': {
    security: 'SIGNED',
    handle: (c) => {
      const symbol = stringParam(c.params, 'symbol');
      if (symbol === undefined) throw errors.mandatoryMissing('symbol');
      c.exchange.cancelAllAlgos(symbol);
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  },
  'POST /fapi/v1/order': {
    security: 'SIGNED',
    handle: (c) => marketOrderJson(c.exchange.placeMarket(parseMarketOrder(c.params))),
  },
  'DELETE /fapi/v1/order': {
    security: 'SIGNED',
    // Market orders are filled the instant they exist, so there is never one left to cancel.
    handle: () => {
      throw errors.unknownOrder();
    },
  },
  'GET /fapi/v1/order': {
    security: 'SIGNED',
    handle: (c) => {
      const o = c.exchange.findOrder(
        idParam(c.params, 'orderId'),
        stringParam(c.params, 'origClientOrderId'),
      );
      if (o === undefined) throw errors.noSuchOrder();
      return marketOrderJson(o);
    },
  },
  'GET /fapi/v1/openOrders': { security: 'SIGNED', handle: () => [] },
  'DELETE /fapi/v1/allOpenOrders': {
    security: 'SIGNED',
    handle: () => ({ code: 200, msg: 'The operation of cancel all open order is done.' }),
  },
  'POST /fapi/v1/listenKey': {
    security: 'API_KEY',
    handle: (c) => ({ listenKey: c.listenKeys.create() }),
  },
  'PUT /fapi/v1/listenKey': {
    security: 'API_KEY',
    handle: (c) => ({ listenKey: c.listenKeys.keepAlive(stringParam(c.params, 'listenKey')) }),
  },
  'DELETE /fapi/v1/listenKey': {
    security: 'API_KEY',
    handle: (c) => {
      c.listenKeys.revoke();
      return {};
    },
  },
};

function balanceRows(c: RouteContext): unknown[] {
  const ex = c.exchange;
  const upnl = ex
    .specs()
    .reduce(
      (sum, s) => sum.plus(unrealized(ex.position(s.symbol), ex.book(s.symbol).mark)),
      new Decimal(0),
    );
  const wallet = ex.walletBalance();
  return [
    {
      accountAlias: 'emulator',
      asset: 'USDT',
      balance: wallet.toString(),
      crossWalletBalance: wallet.toString(),
      crossUnPnl: upnl.toString(),
      availableBalance: wallet.plus(upnl).toString(),
      maxWithdrawAmount: wallet.toString(),
      marginAvailable: true,
      updateTime: c.now,
    },
  ];
}
