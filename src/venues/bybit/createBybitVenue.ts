import { Decimal } from 'decimal.js';
import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import { parseDecimal } from '../../domain/money.ts';
import { adapterKit } from '../ccxt/adapterKit.ts';
import { marketCatalog } from '../ccxt/marketCatalog.ts';
import { quantityOnStep, stopPriceOnTick, type ListedMarket } from '../ccxt/marketGrid.ts';
import {
  VenueError,
  type CloseMarketRequest,
  type MarketOrderResult,
  type PlaceStopRequest,
  type PriceClient,
  type Venue,
  type VenueMarket,
  type VenuePosition,
  type VenueStopOrder,
} from '../port.ts';
import { createBybitClient, type BybitConnection } from './bybitClient.ts';
import {
  marketOrderFromRow,
  positionFromRow,
  positionStopId,
  stopFromRow,
  type RawRecord,
} from './bybitWire.ts';
import { toBybitVenueError } from './toBybitVenueError.ts';
import { validateBybitOptions } from './validateBybitOptions.ts';
import { watchBybitAccount } from './watchBybitAccount.ts';

/** How to reach a Bybit unified account (or a compatible server), and how to name its stops. */
export interface BybitVenueOptions extends BybitConnection {
  /**
   * The engine's client-id prefix. A position's stop has no client id on Bybit; the adapter
   * reports it under the id of the engine's last place or move, else `<prefix>-sl`, so the
   * engine treats it as its own and adopts it.
   */
  readonly clientIdPrefix: string;
  /** Default: a `bybit-venue` component logger. */
  readonly logger?: Logger | undefined;
}

/** A raw v5 answer: `{ retCode, result: { list, nextPageCursor } }`. */
interface ListAnswer {
  readonly result?: { readonly list?: RawRecord[]; readonly nextPageCursor?: string };
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,36}$/;
/** Pages of 200 positions read before giving up: far more than one account holds. */
const MAX_POSITION_PAGES = 20;

function checkClientId(clientId: string): void {
  if (!CLIENT_ID.test(clientId))
    throw new VenueError(
      'invalid',
      `The client id "${clientId}" is not one Bybit accepts as orderLinkId: use 1 to 36 characters from A-Z, a-z, 0-9, _ and -.`,
    );
}

/** Returns the grid of a market from its raw instruments-info row, or undefined without one. */
function gridFromInstrument(
  id: string,
  unifiedSymbol: string,
  info: unknown,
): ListedMarket | undefined {
  const row = info as
    { priceFilter?: { tickSize?: unknown }; lotSizeFilter?: { qtyStep?: unknown } } | undefined;
  const tickSize = row?.priceFilter?.tickSize;
  const stepSize = row?.lotSizeFilter?.qtyStep;
  const valid = (v: unknown): v is string =>
    typeof v === 'string' && (parseDecimal(v)?.gt(0) ?? false);
  if (!valid(tickSize) || !valid(stepSize)) return undefined;
  return { symbol: id, unifiedSymbol, tickSize, stepSize };
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Returns the port over ccxt's `bybit` (REST and WebSockets, linear USDT contracts, one-way
 * mode) for one unified account. A position's stop is Bybit's own (`/v5/position/trading-stop`,
 * Full mode): placed and moved by one atomic call, so `capabilities.atomicStopAmend` is true; it
 * appears as one stop per position with id `<symbol>:sl`. Prices and quantities travel as exact
 * strings on the market's grid; ccxt's own retries are off. Every method rejects with a
 * VenueError whose message carries no credential. Throws VenueError `invalid` on bad options;
 * makes no request until used.
 */
export async function createBybitVenue(options: BybitVenueOptions): Promise<Venue> {
  validateBybitOptions(options);
  const { logger, client, orders, mapError, call, streams, clock } = await adapterKit(
    options,
    'bybit-venue',
    () => createBybitClient(options),
    toBybitVenueError,
  );
  const fallbackClientId = `${options.clientIdPrefix}-sl`;
  // The client id of the engine's last place or move per symbol: one entry per listed market at
  // most. Forgotten when the stop is cancelled or the stream shows the position flat; a read
  // never forgets one, as it may predate the place it would undo.
  const stopClientIds = new Map<string, string>();
  const clientIdOf = (symbol: string): string => stopClientIds.get(symbol) ?? fallbackClientId;
  const markets = marketCatalog(
    client,
    orders,
    gridFromInstrument,
    'a listed Bybit linear contract',
  );
  let readingPositions: Promise<RawRecord[]> | undefined;

  /**
   * Every open position row of the account. Positions and stops are one list on Bybit, and the
   * engine asks for both at once: concurrent callers share one request.
   */
  const positionRows = (): Promise<RawRecord[]> => {
    readingPositions ??= (async () => {
      try {
        const rows: RawRecord[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_POSITION_PAGES; page++) {
          const answer = (await client.privateGetV5PositionList({
            category: 'linear',
            settleCoin: 'USDT',
            limit: 200,
            ...(cursor === undefined ? {} : { cursor }),
          })) as ListAnswer;
          rows.push(...(answer.result?.list ?? []));
          cursor = answer.result?.nextPageCursor;
          if (cursor === undefined || cursor === '') break;
        }
        return rows;
      } finally {
        readingPositions = undefined;
      }
    })();
    return readingPositions;
  };

  /** Sets the stop of `symbol`'s position; "not modified" (34040) means it already stands there. */
  const setStop = async (symbol: string, stopLoss: string, slTriggerBy?: string): Promise<void> => {
    try {
      await orders.privatePostV5PositionTradingStop({
        category: 'linear',
        symbol,
        tpslMode: 'Full',
        positionIdx: 0,
        stopLoss,
        slOrderType: 'Market',
        ...(slTriggerBy === undefined ? {} : { slTriggerBy }),
      });
    } catch (e) {
      const error = mapError(e);
      if (error.details.code !== '34040') throw error;
    }
  };

  const placeOrMove = (op: string, request: PlaceStopRequest): Promise<VenueStopOrder> =>
    call(op, async () => {
      const market = await markets.marketOf(request.symbol);
      const stopPrice = stopPriceOnTick(market, request.stopPrice, request.positionSide);
      const quantity = quantityOnStep(market, request.quantity);
      // Named before the call: the stream may report the stop before the answer arrives.
      stopClientIds.set(request.symbol, request.clientId);
      await setStop(
        request.symbol,
        stopPrice,
        request.workingType === 'MARK_PRICE' ? 'MarkPrice' : 'LastPrice',
      );
      const now = clock.now();
      return {
        id: positionStopId(request.symbol),
        clientId: request.clientId,
        symbol: request.symbol,
        positionSide: request.positionSide,
        stopPrice,
        quantity,
        reduceOnly: true,
        closePosition: false,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      };
    });

  const orderRows = async (path: 'realtime' | 'history', symbol: string, clientId: string) => {
    const params = { category: 'linear', symbol, orderLinkId: clientId };
    const answer = (
      path === 'realtime'
        ? await orders.privateGetV5OrderRealtime(params)
        : await orders.privateGetV5OrderHistory(params)
    ) as ListAnswer;
    return answer.result?.list ?? [];
  };

  const findMarketOrder = async (
    symbol: string,
    clientId: string,
  ): Promise<MarketOrderResult | undefined> => {
    const recent = await orderRows('realtime', symbol, clientId);
    const rows = recent.length > 0 ? recent : await orderRows('history', symbol, clientId);
    const row = rows.find((r) => r['orderLinkId'] === clientId);
    return row === undefined ? undefined : marketOrderFromRow(row);
  };

  // Bybit's ticker stream carries the mark price; ccxt has no watchMarkPrice for it.
  const prices: PriceClient = {
    watchTrades: (symbol) => client.watchTrades(symbol),
    watchTicker: (symbol) => client.watchTicker(symbol),
    watchMarkPrice: (symbol) => client.watchTicker(symbol),
    fetchTicker: (symbol) => client.fetchTicker(symbol),
  };

  const venue: Venue = {
    id: 'bybit',
    capabilities: { atomicStopAmend: true },
    prices,

    unifiedSymbol: markets.unifiedSymbol,

    fetchTime(): Promise<Millis> {
      return call('fetchTime', async () => {
        const before = Date.now();
        const serverTime = await client.fetchTime();
        const after = Date.now();
        if (serverTime === undefined) throw new VenueError('unknownOutcome', 'no server time');
        // The server read its clock about halfway through the round trip.
        clock.adjust(Math.round((before + after) / 2) - serverTime);
        return serverTime;
      });
    },

    loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>> {
      return call('loadMarkets', markets.load);
    },

    fetchEquity(): Promise<string> {
      return call('fetchEquity', async () => {
        // The raw rows keep exact strings; ccxt's parsed balance would hand us floats.
        const answer = (await client.privateGetV5AccountWalletBalance({
          accountType: 'UNIFIED',
          coin: 'USDT',
        })) as { result?: { list?: { coin?: RawRecord[] }[] } };
        const usdt = answer.result?.list?.[0]?.coin?.find((c) => c['coin'] === 'USDT');
        if (usdt === undefined)
          throw new VenueError('exchange', 'the unified account has no USDT balance row');
        const text = (v: unknown) =>
          (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : '0';
        return new Decimal(text(usdt['walletBalance']))
          .plus(text(usdt['unrealisedPnl']))
          .toString();
      });
    },

    fetchPositions(): Promise<VenuePosition[]> {
      return call('fetchPositions', async () => {
        await markets.load();
        return (await positionRows())
          .map(positionFromRow)
          .filter((p): p is VenuePosition => p !== undefined && !('closed' in p));
      });
    },

    fetchOpenStops(symbols?: readonly string[]): Promise<VenueStopOrder[]> {
      return call('fetchOpenStops', async () => {
        await markets.load();
        // One position-list read answers for every symbol (a stop lives on its position).
        return (await positionRows())
          .filter((row) => symbols === undefined || symbols.includes(String(row['symbol'])))
          .map((row) => stopFromRow(row, clientIdOf(String(row['symbol']))))
          .filter(present);
      });
    },

    fetchStopByClientId(symbol: string, clientId: string): Promise<VenueStopOrder | undefined> {
      return call('fetchStopByClientId', async () => {
        await markets.marketOf(symbol);
        const answer = (await orders.privateGetV5PositionList({
          category: 'linear',
          symbol,
        })) as ListAnswer;
        const row = (answer.result?.list ?? []).find((r) => r['symbol'] === symbol);
        return row === undefined ? undefined : stopFromRow(row, clientId);
      });
    },

    placeStop(request: PlaceStopRequest): Promise<VenueStopOrder> {
      return placeOrMove('placeStop', request);
    },

    amendStop(id: string, request: PlaceStopRequest): Promise<VenueStopOrder> {
      if (id !== positionStopId(request.symbol))
        return Promise.reject(
          new VenueError(
            'notFound',
            `The stop "${id}" is not the stop of the ${request.symbol} position (${positionStopId(request.symbol)}).`,
          ),
        );
      return placeOrMove('amendStop', request);
    },

    cancelStop(symbol: string, id: string): Promise<void> {
      return call('cancelStop', async () => {
        if (id !== positionStopId(symbol))
          throw new VenueError('notFound', `No stop "${id}" on ${symbol}.`);
        await markets.marketOf(symbol);
        try {
          await orders.privatePostV5PositionTradingStop({
            category: 'linear',
            symbol,
            tpslMode: 'Full',
            positionIdx: 0,
            stopLoss: '0',
          });
        } catch (e) {
          const error = mapError(e);
          // Nothing to clear: no stop was set, or the position (and its stop) is gone.
          if (error.details.code === '34040' || error.kind === 'noPosition')
            throw new VenueError('notFound', error.message, error.details);
          throw error;
        }
        stopClientIds.delete(symbol);
      });
    },

    closeMarket(request: CloseMarketRequest): Promise<MarketOrderResult> {
      return call('closeMarket', async () => {
        checkClientId(request.clientId);
        const market = await markets.marketOf(request.symbol);
        const quantity = quantityOnStep(market, request.quantity);
        const answer = (await orders.privatePostV5OrderCreate({
          category: 'linear',
          symbol: request.symbol,
          side: request.positionSide === 'long' ? 'Sell' : 'Buy',
          orderType: 'Market',
          qty: quantity,
          reduceOnly: true,
          positionIdx: 0,
          orderLinkId: request.clientId,
        })) as { result?: RawRecord };
        const id = answer.result?.['orderId'];
        // Bybit answers the id only; the fill is read back. If that read fails, the order exists
        // all the same: the engine looks it up by its client id.
        let result: MarketOrderResult | undefined;
        try {
          result = await findMarketOrder(request.symbol, request.clientId);
        } catch (e) {
          throw new VenueError('unknownOutcome', mapError(e).message);
        }
        if (result === undefined)
          throw new VenueError(
            'unknownOutcome',
            `The market order ${request.clientId} (${String(id)}) was accepted but not found yet; look it up by its client id.`,
          );
        return result;
      });
    },

    fetchMarketOrderByClientId(
      symbol: string,
      clientId: string,
    ): Promise<MarketOrderResult | undefined> {
      return call('fetchMarketOrderByClientId', async () => {
        await markets.marketOf(symbol);
        return findMarketOrder(symbol, clientId);
      });
    },

    watchAccount(listener, onError): () => void {
      return streams.open(
        (ended) =>
          watchBybitAccount(
            {
              client,
              venueNow: clock.now,
              toVenueError: mapError,
              stopClientId: clientIdOf,
              positionClosed: (symbol) => stopClientIds.delete(symbol),
              logger,
            },
            listener,
            ended,
          ),
        onError,
      );
    },

    async close(): Promise<void> {
      streams.closeAll();
      await Promise.all([client.close(), orders.close()]);
    },
  };
  return venue;
}
