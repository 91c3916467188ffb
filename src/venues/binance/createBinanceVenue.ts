import { Decimal } from 'decimal.js';
import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import { adapterKit } from '../ccxt/adapterKit.ts';
import { marketCatalog } from '../ccxt/marketCatalog.ts';
import { quantityOnStep, stopPriceOnTick } from '../ccxt/marketGrid.ts';
import {
  VenueError,
  type CloseMarketRequest,
  type MarketOrderResult,
  type PlaceStopRequest,
  type Venue,
  type VenueMarket,
  type VenuePosition,
  type VenueStopOrder,
} from '../port.ts';
import { createBinanceUsdmClient, type BinanceConnection } from './binanceUsdmClient.ts';
import {
  marketOrderFromRest,
  positionFromRest,
  stopFromRest,
  type RawRecord,
} from './binanceWire.ts';
import { gridFromExchangeInfo } from './gridFromExchangeInfo.ts';
import { toVenueError } from './toVenueError.ts';
import { validateBinanceOptions } from './validateBinanceOptions.ts';
import { watchAccountStream } from './watchAccountStream.ts';

/** What Binance weighs an account-wide open-orders read: as many one-symbol reads cost as much. */
const ACCOUNT_WIDE_WEIGHT = 40;
/** How to reach a Binance USDⓈ-M account (or a compatible server) and where to log. */
export interface BinanceVenueOptions extends BinanceConnection {
  /** Default: a `binance-venue` component logger. */
  readonly logger?: Logger | undefined;
}

const CLIENT_ID = /^[.A-Za-z0-9:/_-]{1,36}$/;

function checkClientId(clientId: string): void {
  if (!CLIENT_ID.test(clientId))
    throw new VenueError(
      'invalid',
      `The client id "${clientId}" is not one Binance accepts: use 1 to 36 characters from A-Z, a-z, 0-9 and . : / _ -.`,
    );
}

function present<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Returns the port over ccxt's `binanceusdm` (REST and WebSockets) for one account. Stops are
 * reduce-only STOP_MARKET algo orders; prices and quantities travel as exact strings on the
 * market's grid; ccxt's own retries are off. Every method rejects with a VenueError whose message
 * carries no credential. Throws VenueError `invalid` on bad options; makes no request until used.
 */
export async function createBinanceVenue(options: BinanceVenueOptions): Promise<Venue> {
  validateBinanceOptions(options);
  // Orders get their own ccxt instance: ccxt queues every call of an instance behind the request
  // weight of the calls before it (the account-wide openAlgoOrders weighs 40, i.e. 2 s).
  const { logger, client, orders, mapError, call, streams, clock } = await adapterKit(
    options,
    'binance-venue',
    () => createBinanceUsdmClient(options),
    toVenueError,
  );
  const markets = marketCatalog(client, orders, gridFromExchangeInfo, 'a listed USDⓈ-M contract');

  const orNotFound = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof VenueError && e.kind === 'notFound') return undefined;
      throw e;
    }
  };

  const venue: Venue = {
    id: 'binanceusdm',
    capabilities: { atomicStopAmend: false },
    prices: client,

    unifiedSymbol: markets.unifiedSymbol,

    fetchTime(): Promise<Millis> {
      return call('fetchTime', async () => {
        const serverTime = await client.fetchTime();
        const after = Date.now();
        if (serverTime === undefined) throw new VenueError('unknownOutcome', 'no server time');
        // The server read its clock somewhere in the round trip: assume the latest instant, so a
        // request is never signed ahead of the venue's clock (Binance refuses that, -1021), only
        // behind it, which recvWindow tolerates.
        clock.adjust(after - serverTime);
        return serverTime;
      });
    },

    loadMarkets(): Promise<ReadonlyMap<string, VenueMarket>> {
      return call('loadMarkets', markets.load);
    },

    fetchEquity(): Promise<string> {
      return call('fetchEquity', async () => {
        // The raw rows keep exact strings; ccxt's parsed balance would hand us floats.
        const rows = (await client.fapiPrivateV2GetBalance()) as RawRecord[];
        const usdt = rows.find((r) => r['asset'] === 'USDT');
        if (usdt === undefined)
          throw new VenueError('exchange', 'the account has no USDT balance row');
        const text = (v: unknown) =>
          typeof v === 'string' || typeof v === 'number' ? String(v) : '0';
        return new Decimal(text(usdt['balance'])).plus(text(usdt['crossUnPnl'])).toString();
      });
    },

    fetchPositions(): Promise<VenuePosition[]> {
      return call('fetchPositions', async () => {
        await markets.load();
        const rows = await client.fetchPositions();
        return rows.map((r) => positionFromRest(r.info as RawRecord)).filter(present);
      });
    },

    fetchOpenStops(symbols?: readonly string[]): Promise<VenueStopOrder[]> {
      return call('fetchOpenStops', async () => {
        const listed = await markets.load();
        const read = (unified: string | undefined) =>
          client.fetchOpenOrders(unified, undefined, undefined, { trigger: true });
        // Binance weighs an account-wide read 40 and a one-symbol read 1, and ccxt's throttle
        // makes the reading client's next call wait for that weight (2 s for 40): a few named
        // symbols cost a tenth of it and hold back no price poll.
        const open =
          symbols === undefined || symbols.length >= ACCOUNT_WIDE_WEIGHT
            ? await read(undefined)
            : // A symbol that is not listed has no order to read.
              (
                await Promise.all(
                  symbols.flatMap((s) => {
                    const market = listed.get(s);
                    return market === undefined ? [] : [read(market.unifiedSymbol)];
                  }),
                )
              ).flat();
        return open
          .map((o) => stopFromRest(o.info as RawRecord))
          .filter(present)
          .filter((o) => symbols === undefined || symbols.includes(o.symbol));
      });
    },

    fetchStopByClientId(symbol: string, clientId: string): Promise<VenueStopOrder | undefined> {
      return orNotFound(() =>
        call('fetchStopByClientId', async () => {
          const market = await markets.marketOf(symbol);
          const order = await orders.fetchOrder('', market.unifiedSymbol, {
            trigger: true,
            clientAlgoId: clientId,
          });
          return stopFromRest(order.info as RawRecord);
        }),
      );
    },

    placeStop(request: PlaceStopRequest): Promise<VenueStopOrder> {
      return call('placeStop', async () => {
        checkClientId(request.clientId);
        const market = await markets.marketOf(request.symbol);
        const stopPrice = stopPriceOnTick(market, request.stopPrice, request.positionSide);
        const quantity = quantityOnStep(market, request.quantity);
        const order = await orders.createOrder(
          market.unifiedSymbol,
          'market',
          request.positionSide === 'long' ? 'sell' : 'buy',
          // A string keeps the quantity exact: ccxt formats strings without a float round trip.
          quantity as unknown as number,
          undefined,
          {
            stopLossPrice: stopPrice,
            reduceOnly: true,
            workingType: request.workingType,
            clientAlgoId: request.clientId,
          },
        );
        const stop = stopFromRest(order.info as RawRecord);
        if (stop === undefined)
          throw new VenueError(
            'unknownOutcome',
            `The stop ${request.clientId} was answered with an unreadable order; look it up by its client id.`,
          );
        return stop;
      });
    },

    amendStop(): Promise<VenueStopOrder> {
      // Binance has no atomic amend of a stop (editOrder moves LIMIT orders only).
      return Promise.reject(
        new VenueError(
          'invalid',
          'Binance cannot amend a stop in place: move it make-before-break.',
        ),
      );
    },

    cancelStop(symbol: string, id: string): Promise<void> {
      return call('cancelStop', async () => {
        const market = await markets.marketOf(symbol);
        await orders.cancelOrder(id, market.unifiedSymbol, { trigger: true });
      });
    },

    closeMarket(request: CloseMarketRequest): Promise<MarketOrderResult> {
      return call('closeMarket', async () => {
        checkClientId(request.clientId);
        const market = await markets.marketOf(request.symbol);
        const quantity = quantityOnStep(market, request.quantity);
        const order = await orders.createOrder(
          market.unifiedSymbol,
          'market',
          request.positionSide === 'long' ? 'sell' : 'buy',
          quantity as unknown as number,
          undefined,
          { reduceOnly: true, newClientOrderId: request.clientId },
        );
        const result = marketOrderFromRest(order.info as RawRecord);
        if (result === undefined)
          throw new VenueError(
            'unknownOutcome',
            `The market order ${request.clientId} was answered with an unreadable order; look it up by its client id.`,
          );
        return result;
      });
    },

    fetchMarketOrderByClientId(
      symbol: string,
      clientId: string,
    ): Promise<MarketOrderResult | undefined> {
      return orNotFound(() =>
        call('fetchMarketOrderByClientId', async () => {
          const market = await markets.marketOf(symbol);
          const order = await orders.fetchOrder('', market.unifiedSymbol, {
            origClientOrderId: clientId,
          });
          return marketOrderFromRest(order.info as RawRecord);
        }),
      );
    },

    watchAccount(listener, onError): () => void {
      return streams.open(
        (ended) =>
          watchAccountStream(
            { client, venueNow: clock.now, toVenueError: mapError, logger },
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
