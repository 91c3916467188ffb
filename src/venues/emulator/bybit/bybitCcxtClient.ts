import ccxt from 'ccxt';
import { pointBybitAtServer } from '../../bybit/pointBybitAtServer.ts';

/** The ccxt client type the emulator's Bybit side is driven by: the WebSocket-capable bybit. */
export type Bybit = InstanceType<typeof ccxt.pro.bybit>;

/** The parts of a running emulator a Bybit client needs. */
export interface BybitEndpoint {
  readonly restUrl: string;
  readonly bybitWsUrl: string;
  readonly apiKey: string;
  readonly secret: string;
}

/**
 * Returns an unmodified ccxt `bybit` (pro) talking to the emulator: every REST URL and the linear
 * public and private WebSockets pointed at it (the others at a 404 on it), the HTTP agent loaded
 * that ccxt needs for `ws://`, and the options `../shared/notes/ccxt.md` prescribes: a unified
 * account declared (no probing), linear markets only, no currencies. `config` is merged into the
 * constructor arguments (`options` key by key).
 */
export async function createBybitCcxtClient(
  em: BybitEndpoint,
  config: Record<string, unknown> = {},
): Promise<Bybit> {
  const { options: extraOptions, ...rest } = config as { options?: Record<string, unknown> };
  const client = new ccxt.pro.bybit({
    apiKey: em.apiKey,
    secret: em.secret,
    has: { fetchCurrencies: false },
    ...rest,
    options: {
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      fetchMarkets: { types: ['linear'] },
      ...extraOptions,
    },
  });
  pointBybitAtServer(client, em.restUrl, em.bybitWsUrl);
  await client.loadHttpProxyAgent();
  return client;
}
