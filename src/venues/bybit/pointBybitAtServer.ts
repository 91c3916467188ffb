/** The REST entries of ccxt `bybit`'s `urls.api`: all are one host on Bybit, and on the server. */
const REST_NAMES = ['spot', 'futures', 'v2', 'public', 'private'] as const;

/** The part of a ccxt exchange whose endpoints are rewritten. */
export interface RewritableUrls {
  urls: unknown;
}

/**
 * Returns the WebSocket base (`ws://host:port`) of a server whose REST base is `restUrl`
 * (`http://host:port`): the emulator serves both on one port.
 */
export function bybitWebSocketBaseOf(restUrl: string): string {
  return restUrl.replace(/^http/, 'ws');
}

/**
 * Points every REST URL of a ccxt `bybit` at a compatible server at `restUrl` (it serves `/v5/*`)
 * and its linear public and private WebSockets at `wsBase` + `/v5/public/linear` and
 * `/v5/private`. Every other WebSocket (spot, inverse, option, the trade API) points at a path
 * the server answers with 404, so no connection can leave for Bybit by accident.
 */
export function pointBybitAtServer(client: RewritableUrls, restUrl: string, wsBase: string): void {
  const urls = client.urls as { api: Record<string, unknown> };
  const api: Record<string, unknown> = {};
  for (const name of REST_NAMES) api[name] = restUrl;
  const unsupported = (name: string) => `${wsBase}/unsupported/${name}`;
  api['ws'] = {
    public: {
      spot: unsupported('spot'),
      inverse: unsupported('inverse'),
      option: unsupported('option'),
      linear: `${wsBase}/v5/public/linear`,
    },
    private: {
      spot: { unified: unsupported('spot'), nonUnified: unsupported('spot') },
      contract: `${wsBase}/v5/private`,
      usdc: unsupported('usdc'),
      trade: unsupported('trade'),
    },
  };
  client.urls = { ...urls, api };
}
