import ccxt from 'ccxt';
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
export class BinanceUsdmClient extends ccxt.pro.binanceusdm {
  /** Called with the URL of every WebSocket that opens. */
  readonly socketOpened = new Set<(url: string) => void>();
  private readonly delayed = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  override delay(timeout: number, method: unknown, ...args: unknown[]): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      void this.spawn(method, ...args);
    }, timeout);
    this.delayed.add(timer);
  }

  override async close(cleanInstanceCache?: boolean): Promise<void> {
    this.closed = true;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    await super.close(cleanInstanceCache);
  }

  override handleErrors(
    code: number,
    reason: string,
    url: string,
    method: string,
    headers: Record<string, unknown>,
    body: string,
    response: unknown,
    requestHeaders: unknown,
    requestBody: unknown,
  ): undefined {
    if (code === 418 || code === 429) {
      throw new RateLimitedError(
        `${this.id} ${code} ${reason} ${body}`,
        retryAfterMs(headers['Retry-After'], Date.now()),
      );
    }
    return super.handleErrors(
      code,
      reason,
      url,
      method,
      headers,
      body,
      response,
      requestHeaders,
      requestBody,
    );
  }

  override handleOrderUpdate(client: WsClient, message: unknown): void {
    if (isRecord(message) && message['e'] === 'ALGO_UPDATE' && isRecord(message['o'])) {
      const order = message['o'];
      order['T'] ??= message['T'] ?? message['E'];
    }
    super.handleOrderUpdate(client, message);
  }

  override onConnected(client: WsClient, message?: unknown): void {
    super.onConnected(client, message);
    const url = (client as { url: string }).url;
    for (const listener of this.socketOpened) listener(url);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How to reach the exchange. */
export interface BinanceConnection {
  readonly apiKey: string;
  readonly secret: string;
  /** A compatible server's REST base, e.g. `http://127.0.0.1:8787`; omitted: Binance itself. */
  readonly url?: string | undefined;
  /** Binance's futures testnet. */
  readonly sandbox?: boolean | undefined;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Returns a configured client: ccxt's own retries off (the engine owns retries), currencies not
 * fetched (the sapi endpoints are spot-only and need extra permissions), time-difference
 * adjustment left to the adapter's `fetchTime`, open orders readable without a symbol, and
 * position updates streamed without ccxt's REST snapshot (the engine reconciles over REST).
 */
export async function createBinanceUsdmClient(
  connection: BinanceConnection,
): Promise<BinanceUsdmClient> {
  const client = new BinanceUsdmClient({
    apiKey: connection.apiKey,
    secret: connection.secret,
    enableRateLimit: true,
    ...(connection.timeoutMs === undefined ? {} : { timeout: connection.timeoutMs }),
    options: {
      fetchCurrencies: false,
      maxRetriesOnFailure: 0,
      adjustForTimeDifference: false,
      warnOnFetchOpenOrdersWithoutSymbol: false,
      fetchOpenOrders: { warnWithoutSymbol: false },
      watchPositions: { fetchPositionsSnapshot: false, awaitPositionsSnapshot: false },
    },
  });
  if (connection.sandbox === true) client.setSandboxMode(true);
  if (connection.url !== undefined) {
    const restUrl = connection.url.replace(/\/+$/, '');
    pointAtServer(client, restUrl, webSocketBaseOf(restUrl));
    // ccxt refuses plain ws:// until its HTTP agent is loaded.
    await client.loadHttpProxyAgent();
  }
  return client;
}
