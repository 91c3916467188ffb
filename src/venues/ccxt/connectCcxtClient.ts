import type { Exchange } from 'ccxt';

/** How to reach the exchange. */
export interface CcxtConnection {
  readonly apiKey: string;
  readonly secret: string;
  /** A compatible server's REST base, e.g. `http://127.0.0.1:8787`; omitted: the exchange itself. */
  readonly url?: string | undefined;
  /** The exchange's testnet. */
  readonly sandbox?: boolean | undefined;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Returns the client `create` builds from the connection's credentials and timeout, ccxt's
 * throttle on, and `settings`; switched to the testnet when `sandbox` is set, and given to
 * `pointAt` with the server's REST base (no trailing slash) when `url` is.
 */
export async function connectCcxtClient<C extends Exchange>(
  create: (config: Record<string, unknown>) => C,
  connection: CcxtConnection,
  settings: Record<string, unknown>,
  pointAt: (client: C, restUrl: string) => void,
): Promise<C> {
  const client = create({
    apiKey: connection.apiKey,
    secret: connection.secret,
    enableRateLimit: true,
    ...(connection.timeoutMs === undefined ? {} : { timeout: connection.timeoutMs }),
    ...settings,
  });
  if (connection.sandbox === true) client.setSandboxMode(true);
  if (connection.url !== undefined) {
    pointAt(client, connection.url.replace(/\/+$/, ''));
    // ccxt refuses plain ws:// until its HTTP agent is loaded.
    await client.loadHttpProxyAgent();
  }
  return client;
}
