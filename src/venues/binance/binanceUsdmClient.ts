import ccxt from 'ccxt';
import { adapterClient } from '../ccxt/adapterClient.ts';
import { connectCcxtClient, type CcxtConnection } from '../ccxt/connectCcxtClient.ts';
import { pointAtServer, webSocketBaseOf } from './pointAtServer.ts';

type ProBinanceUsdm = InstanceType<typeof ccxt.pro.binanceusdm>;
type WsClient = Parameters<ProBinanceUsdm['handleOrderUpdate']>[0];

/** ccxt's answer to HTTP 418/429, carrying the server's Retry-After when it sent one. */
export class RateLimitedError extends ccxt.DDoSProtection {
  /**
   * @param message ccxt's words for the refusal
   * @param retryAfterMs how long the server asked us to wait, when it said
   */
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Returns the wait a `Retry-After` header asks for in milliseconds (delta-seconds or an HTTP
 * date, read against `now`), or undefined when the header is absent or unreadable.
 */
export function retryAfterMs(header: unknown, now: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * ccxt's `binanceusdm` (with WebSockets) plus what the adapter cannot get from the stock class:
 * the Retry-After of a 429, the transaction time of an ALGO_UPDATE (ccxt parses only the inner
 * order object, which has no time of its own), a hook when a socket opens, and a `close` that
 * also cancels ccxt's delayed calls (the listen-key keep-alive would otherwise run every 20
 * minutes forever after close, and keep the process alive).
 */
export class BinanceUsdmClient extends adapterClient(ccxt.pro.binanceusdm) {
  override rateLimitRefusal(
    code: number,
    reason: string,
    headers: Record<string, unknown>,
    body: string,
  ): Error | undefined {
    if (code !== 418 && code !== 429) return undefined;
    return new RateLimitedError(
      `${this.id} ${code} ${reason} ${body}`,
      retryAfterMs(headers['Retry-After'], Date.now()),
    );
  }

  override handleOrderUpdate(client: WsClient, message: unknown): void {
    if (isRecord(message) && message['e'] === 'ALGO_UPDATE' && isRecord(message['o'])) {
      const order = message['o'];
      order['T'] ??= message['T'] ?? message['E'];
    }
    super.handleOrderUpdate(client, message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How to reach Binance USDⓈ-M or a compatible server. */
export type BinanceConnection = CcxtConnection;

/**
 * Returns a configured client: ccxt's own retries off (the engine owns retries), currencies not
 * fetched (the sapi endpoints are spot-only and need extra permissions), time-difference
 * adjustment left to the adapter's `fetchTime`, open orders readable without a symbol, and
 * position updates streamed without ccxt's REST snapshot (the engine reconciles over REST).
 */
export async function createBinanceUsdmClient(
  connection: BinanceConnection,
): Promise<BinanceUsdmClient> {
  return connectCcxtClient(
    (config) => new BinanceUsdmClient(config),
    connection,
    {
      options: {
        fetchCurrencies: false,
        maxRetriesOnFailure: 0,
        adjustForTimeDifference: false,
        warnOnFetchOpenOrdersWithoutSymbol: false,
        fetchOpenOrders: { warnWithoutSymbol: false },
        watchPositions: { fetchPositionsSnapshot: false, awaitPositionsSnapshot: false },
      },
    },
    (client, restUrl) => pointAtServer(client, restUrl, webSocketBaseOf(restUrl)),
  );
}
