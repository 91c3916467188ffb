import type { Exchange } from 'ccxt';
import { VenueError, type VenueMarket } from '../port.ts';

/** The fields of a ccxt market the catalog reads. */
interface LoadedMarket {
  readonly id: string;
  readonly symbol: string;
  readonly contract?: boolean;
  readonly linear?: boolean;
  readonly info: unknown;
}

/** The linear contracts of one exchange, by the exchange's id. */
export interface MarketCatalog<M extends VenueMarket & { readonly unifiedSymbol: string }> {
  /** Returns every listed contract, loading them on the first call (callers meanwhile share it). */
  readonly load: () => Promise<Map<string, M>>;
  /** Returns the contract `symbol`; rejects with VenueError `invalid` when it is not listed. */
  readonly marketOf: (symbol: string) => Promise<M>;
  /**
   * Returns ccxt's unified symbol of `symbol`; throws VenueError `invalid` before the first load
   * or when it is not listed.
   */
  readonly unifiedSymbol: (symbol: string) => string;
}

/**
 * Returns the catalog of `client`'s linear contracts that `gridOf` reads a grid for; a load also
 * hands the markets to `orders` (the client that writes), and `contracts` names what is listed in
 * the error for a symbol that is not (`a listed USDⓈ-M contract`).
 */
export function marketCatalog<M extends VenueMarket & { readonly unifiedSymbol: string }>(
  client: Exchange,
  orders: Exchange,
  gridOf: (id: string, unifiedSymbol: string, info: unknown) => M | undefined,
  contracts: string,
): MarketCatalog<M> {
  let markets: Map<string, M> | undefined;
  let loadingMarkets: Promise<Map<string, M>> | undefined;

  const load = (): Promise<Map<string, M>> => {
    if (markets !== undefined) return Promise.resolve(markets);
    loadingMarkets ??= (async () => {
      try {
        await client.loadMarkets();
        orders.setMarkets(client.markets);
        const listed = new Map<string, M>();
        const loaded = (client.markets ?? {}) as Record<string, LoadedMarket | undefined>;
        for (const m of Object.values(loaded)) {
          if (m === undefined || m.contract !== true || m.linear !== true) continue;
          const grid = gridOf(m.id, m.symbol, m.info);
          if (grid !== undefined) listed.set(grid.symbol, grid);
        }
        markets = listed;
        return listed;
      } finally {
        loadingMarkets = undefined;
      }
    })();
    return loadingMarkets;
  };

  const unknownSymbol = (symbol: string, listed: ReadonlyMap<string, unknown>): VenueError =>
    new VenueError(
      'invalid',
      `The symbol "${symbol}" is not ${contracts}; use the exchange's id such as ${[...listed.keys()].slice(0, 3).join(', ') || 'BTCUSDT'}.`,
    );

  return {
    load,
    marketOf: async (symbol) => {
      const listed = await load();
      const market = listed.get(symbol);
      if (market === undefined) throw unknownSymbol(symbol, listed);
      return market;
    },
    unifiedSymbol: (symbol) => {
      if (markets === undefined)
        throw new VenueError(
          'invalid',
          `The markets are not loaded yet, so "${symbol}" cannot be mapped: call loadMarkets() first.`,
        );
      const market = markets.get(symbol);
      if (market === undefined) throw unknownSymbol(symbol, markets);
      return market.unifiedSymbol;
    },
  };
}
