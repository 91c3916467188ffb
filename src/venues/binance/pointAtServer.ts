/**
 * The REST endpoints a Binance USDⓈ-M compatible server answers, by ccxt's `urls.api` name.
 * Everything else a ccxt client knows (spot, sapi, options, portfolio margin) is pointed at a
 * path the server answers with 404, so no request can leave for Binance by accident.
 */
const FAPI_PATHS: Readonly<Record<string, string>> = {
  fapiPublic: '/fapi/v1',
  fapiPrivate: '/fapi/v1',
  fapiPublicV2: '/fapi/v2',
  fapiPrivateV2: '/fapi/v2',
  fapiPublicV3: '/fapi/v3',
  fapiPrivateV3: '/fapi/v3',
  fapiData: '/futures/data',
};

/** The part of a ccxt exchange whose endpoints are rewritten. */
export interface RewritableUrls {
  urls: unknown;
  exceptions: unknown;
}

/**
 * Returns the WebSocket base (`ws://host:port/ws`) of a server whose REST base is `restUrl`
 * (`http://host:port`): the emulator serves both on one port.
 */
export function webSocketBaseOf(restUrl: string): string {
  return `${restUrl.replace(/^http/, 'ws')}/ws`;
}

/**
 * Points every REST and WebSocket URL of a ccxt `binanceusdm` at a compatible server at
 * `restUrl`, and merges Binance's linear error table into the exact one: ccxt applies that table
 * only on Binance's own hosts, so -2021 would otherwise arrive as a bare ExchangeError.
 */
export function pointAtServer(client: RewritableUrls, restUrl: string, wsUrl: string): void {
  const urls = client.urls as { api: Record<string, unknown> };
  const api: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(urls.api)) {
    if (name !== 'ws' && typeof value === 'string') api[name] = `${restUrl}/unsupported/${name}`;
  }
  for (const [name, path] of Object.entries(FAPI_PATHS)) api[name] = restUrl + path;
  const ws: Record<string, unknown> = {};
  const oldWs = urls.api['ws'];
  if (typeof oldWs === 'object' && oldWs !== null) {
    for (const name of Object.keys(oldWs))
      ws[name] = `${wsUrl.replace(/\/ws$/, '')}/unsupported/${name}`;
  }
  ws['future'] = wsUrl;
  ws['ws-api'] = { spot: `${wsUrl}-api`, future: `${wsUrl}-api`, delivery: `${wsUrl}-api` };
  client.urls = { ...urls, api: { ...api, ws } };
  const exceptions = client.exceptions as {
    exact: Record<string, unknown>;
    linear?: { exact?: Record<string, unknown> };
  };
  exceptions.exact = { ...exceptions.exact, ...(exceptions.linear?.exact ?? {}) };
}
