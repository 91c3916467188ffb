import ccxt from 'ccxt';
import { adapterClient } from '../ccxt/adapterClient.ts';
import { connectCcxtClient, type CcxtConnection } from '../ccxt/connectCcxtClient.ts';
import { bybitWebSocketBaseOf, pointBybitAtServer } from './pointBybitAtServer.ts';

type ProBybit = InstanceType<typeof ccxt.pro.bybit>;
type WsClient = Parameters<ProBybit['handleMessage']>[0];

/**
 * ccxt's answer to Bybit's rate limits (retCode 10006 per account, HTTP 403 per IP), carrying how
 * long to wait when Bybit said (`X-Bapi-Limit-Reset-Timestamp`).
 */
export class BybitRateLimitedError extends ccxt.RateLimitExceeded {
  /**
   * @param message ccxt's words for the refusal
   * @param retryAfterMs how long until the limit resets, when the server said
   */
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

function retCodeOf(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const code = (response as Record<string, unknown>)['retCode'];
  return typeof code === 'number' || typeof code === 'string' ? String(code) : undefined;
}

/**
 * ccxt's `bybit` (with WebSockets) plus what the adapter cannot get from the stock class: the
 * reset time of a rate-limit refusal, hooks when a socket opens and when Bybit confirms a
 * subscription (only then does a topic's next change reach the socket), and a `close` that also
 * cancels ccxt's delayed calls so nothing keeps the process alive after close.
 */
export class BybitClient extends adapterClient(ccxt.pro.bybit) {
  /** Called with a socket's URL and the topics of every subscription Bybit confirmed on it. */
  readonly subscribed = new Set<(url: string, topics: readonly string[]) => void>();

  override rateLimitRefusal(
    code: number,
    _reason: string,
    headers: Record<string, unknown>,
    body: string,
    response: unknown,
  ): Error | undefined {
    if (code !== 403 && retCodeOf(response) !== '10006') return undefined;
    const reset = Number(headers['X-Bapi-Limit-Reset-Timestamp']);
    const wait = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now()) : undefined;
    return new BybitRateLimitedError(`${this.id} ${code} ${body}`, wait);
  }

  /**
   * Returns ccxt's socket client for `url`, whose sends never end as unhandled rejections: ccxt
   * sends a subscription once its throttle lets it, without a handler, so a socket closed in the
   * meantime (a drop, or `close`) would otherwise reject into the void. Callers that await a send
   * still see its failure.
   */
  override client(url: Parameters<ProBybit['client']>[0]): ReturnType<ProBybit['client']> {
    const c = super.client(url);
    const patched = c as typeof c & { quietSends?: true };
    if (patched.quietSends === undefined) {
      const send = c.send.bind(c);
      c.send = (message: unknown) => {
        const sent = send(message);
        sent.catch(() => undefined);
        return sent;
      };
      patched.quietSends = true;
    }
    return c;
  }

  override handleSubscriptionStatus(
    client: WsClient,
    message: Parameters<ProBybit['handleSubscriptionStatus']>[1],
  ): ReturnType<ProBybit['handleSubscriptionStatus']> {
    const result = super.handleSubscriptionStatus(client, message);
    const ack = message as { success?: unknown; req_id?: unknown; op?: unknown };
    if (ack.success !== true || ack.op !== 'subscribe') return result;
    const subscriptions = (client as { subscriptions: Record<string, unknown> }).subscriptions;
    const reqId =
      typeof ack.req_id === 'number' || typeof ack.req_id === 'string'
        ? String(ack.req_id)
        : undefined;
    const topics: string[] = [];
    for (const sub of Object.values(subscriptions)) {
      const s = sub as { id?: unknown; topics?: unknown } | undefined;
      const id = typeof s?.id === 'number' || typeof s?.id === 'string' ? String(s.id) : undefined;
      // An answer without req_id confirms what was asked so far (Bybit echoes it when sent).
      if ((reqId === undefined || id === reqId) && Array.isArray(s?.topics))
        topics.push(...(s.topics as unknown[]).filter((t): t is string => typeof t === 'string'));
    }
    const url = (client as { url: string }).url;
    for (const listener of this.subscribed) listener(url, topics);
    return result;
  }
}

/** How to reach Bybit or a compatible server. */
export type BybitConnection = CcxtConnection;

/**
 * Returns a configured client: a unified trading account declared up front (ccxt would otherwise
 * probe it with two REST calls before orders and private streams), linear markets only, no
 * currencies, ccxt's own retries off (the engine owns retries), time adjustment left to the
 * adapter's `fetchTime`, and positions streamed without ccxt's REST snapshot (the engine
 * reconciles over REST).
 */
export async function createBybitClient(connection: BybitConnection): Promise<BybitClient> {
  return connectCcxtClient(
    (config) => new BybitClient(config),
    connection,
    {
      has: { fetchCurrencies: false },
      options: {
        enableUnifiedAccount: true,
        enableUnifiedMargin: false,
        fetchMarkets: { types: ['linear'] },
        defaultType: 'swap',
        defaultSubType: 'linear',
        maxRetriesOnFailure: 0,
        adjustForTimeDifference: false,
        watchPositions: { fetchPositionsSnapshot: false, awaitPositionsSnapshot: false },
      },
    },
    (client, restUrl) => pointBybitAtServer(client, restUrl, bybitWebSocketBaseOf(restUrl)),
  );
}
