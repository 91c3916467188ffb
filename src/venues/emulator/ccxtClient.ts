import ccxt from 'ccxt';

/** The ccxt client type the emulator is driven by: the WebSocket-capable binanceusdm. */
export type BinanceUsdm = InstanceType<typeof ccxt.pro.binanceusdm>;

/** The parts of a running emulator a client needs. */
export interface EmulatorEndpoint {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly apiKey: string;
  readonly secret: string;
}

const FAPI_URLS: Readonly<Record<string, string>> = {
  fapiPublic: '/fapi/v1',
  fapiPrivate: '/fapi/v1',
  fapiPublicV2: '/fapi/v2',
  fapiPrivateV2: '/fapi/v2',
  fapiPublicV3: '/fapi/v3',
  fapiPrivateV3: '/fapi/v3',
  fapiData: '/futures/data',
};

/**
 * Returns an unmodified ccxt `binanceusdm` (pro) configured to talk to the emulator: every REST
 * and WebSocket URL rewritten to it (URLs the emulator does not serve point at a 404 on it, so no
 * request can leave the machine), the HTTP agent loaded that ccxt needs for `ws://`, the linear
 * error table merged into the exact one (ccxt applies it only on Binance's own hosts, so -2021
 * would otherwise arrive as a bare ExchangeError), and currency fetching off (sapi endpoints).
 * `config` is merged into the constructor arguments (e.g. `{ options: { … } }`).
 */
export async function createCcxtClient(
  em: EmulatorEndpoint,
  config: Record<string, unknown> = {},
): Promise<BinanceUsdm> {
  const { options: extraOptions, ...rest } = config as { options?: Record<string, unknown> };
  const client = new ccxt.pro.binanceusdm({
    apiKey: em.apiKey,
    secret: em.secret,
    ...rest,
    options: { fetchCurrencies: false, ...extraOptions },
  });
  const urls = client.urls as { api: Record<string, unknown>; test?: unknown; demo?: unknown };
  const api: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(urls.api)) {
    if (name === 'ws') continue;
    if (typeof value === 'string') api[name] = `${em.restUrl}/unsupported/${name}`;
  }
  for (const [name, path] of Object.entries(FAPI_URLS)) api[name] = em.restUrl + path;
  const ws: Record<string, unknown> = {};
  const oldWs = urls.api['ws'];
  if (typeof oldWs === 'object' && oldWs !== null) {
    for (const name of Object.keys(oldWs))
      ws[name] = `${em.wsUrl.replace(/\/ws$/, '')}/unsupported/${name}`;
  }
  ws['future'] = em.wsUrl;
  ws['ws-api'] = {
    spot: `${em.wsUrl}-api`,
    future: `${em.wsUrl}-api`,
    delivery: `${em.wsUrl}-api`,
  };
  client.urls = { ...client.urls, api: { ...api, ws } };
  const exceptions = client.exceptions as {
    exact: Record<string, unknown>;
    linear?: { exact?: Record<string, unknown> };
  };
  exceptions.exact = { ...exceptions.exact, ...(exceptions.linear?.exact ?? {}) };
  await client.loadHttpProxyAgent();
  return client;
}
