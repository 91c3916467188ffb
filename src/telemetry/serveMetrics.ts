import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RatchetMetrics } from './createMetrics.ts';

/** Where and how `/metrics` is served. */
export interface ServeMetricsOptions {
  readonly metrics: Pick<RatchetMetrics, 'text' | 'contentType'>;
  /** 0 picks a free port. Default 9464. */
  readonly port?: number | undefined;
  /** Default 127.0.0.1; any other host needs a token. */
  readonly host?: string | undefined;
  /** Required on every request when set: `Authorization: Bearer T` or `?token=T`. */
  readonly token?: string | undefined;
}

/** A running metrics endpoint. */
export interface ServedMetrics {
  /** The scrape URL, e.g. http://127.0.0.1:9464/metrics (never with the token). */
  readonly url: string;
  readonly port: number;
  /** Resolves when the server has stopped and dropped its connections. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const MIN_TOKEN_LENGTH = 8;

/** Returns true for a host only this machine can reach. */
function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ') === true) return header.slice('Bearer '.length);
  return url.searchParams.get('token') ?? undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function reply(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Serves the metrics' Prometheus text at `GET /metrics` and resolves once listening. Throws
 * for a non-loopback host without a token of at least 8 characters and for a port that cannot
 * be bound, with a message naming the `metrics` key to change; with
 * a token, a request without it gets 401; without one, a request whose Host header is not
 * loopback gets 403 (a web page rebinding its DNS name to 127.0.0.1 cannot read it).
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<ServedMetrics> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  if (!isLoopback(host) && (token === undefined || token.length < MIN_TOKEN_LENGTH)) {
    throw new Error(
      `metrics.host ${host} would let other machines read the engine's metrics without a token; set metrics.token (at least ${MIN_TOKEN_LENGTH} characters) or keep metrics.host 127.0.0.1`,
    );
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics.invalid');
    if (token !== undefined) {
      const presented = presentedToken(req, url);
      if (presented === undefined || !sameSecret(presented, token)) {
        res.setHeader('www-authenticate', 'Bearer');
        reply(res, 401, 'missing or wrong token\n');
        return;
      }
    } else if (!isLoopback((req.headers.host ?? '').replace(/:\d+$/, ''))) {
      reply(res, 403, 'this endpoint answers loopback hosts only\n');
      return;
    }
    if (url.pathname !== '/metrics') {
      reply(res, 404, 'not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      reply(res, 405, 'method not allowed\n');
      return;
    }
    options.metrics.text().then(
      (text) => reply(res, 200, req.method === 'HEAD' ? '' : text, options.metrics.contentType),
      (error: unknown) => reply(res, 500, `metrics failed: ${String(error)}\n`),
    );
  });
  const wanted = options.port ?? 9464;
  server.listen(wanted, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new Error(
        `metrics cannot listen on ${host}:${wanted} (${code}): choose another metrics.port or metrics.host`,
      );
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/metrics`,
    port,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
