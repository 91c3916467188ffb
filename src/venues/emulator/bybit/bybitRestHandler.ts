import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Credentials } from '../auth.ts';
import type { EmulatedExchange } from '../exchange.ts';
import type { FaultInjector } from '../faults.ts';
import type { RequestCounter } from '../requestCounter.ts';
import { readBody } from '../restServer.ts';
import { checkBybitAuth } from './bybitAuth.ts';
import { BinanceError, BybitError, bybitErrorOf, bybitErrors } from './bybitError.ts';
import type { BybitRateLimiter } from './bybitRateLimiter.ts';
import { bybitRoutes, type BybitParams } from './bybitRoutes.ts';

/** What the Bybit REST front needs. */
export interface BybitRestDeps {
  readonly exchange: EmulatedExchange;
  readonly faults: FaultInjector;
  readonly limiter: BybitRateLimiter;
  readonly credentials: Credentials;
  readonly counter: RequestCounter;
  /** Called with unexpected errors (bugs), which answer retCode 10016. */
  readonly onError: (err: unknown) => void;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function paramsOf(method: string, query: string, body: string): BybitParams {
  if (method !== 'POST') return Object.fromEntries(new URLSearchParams(query));
  if (body.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw bybitErrors.params('params error: the body is not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw bybitErrors.params('params error: the body is not a JSON object');
  return json as BybitParams;
}

/**
 * Returns the request listener for the emulated Bybit v5 endpoints (`/v5/*`): the IP limit, then
 * faults, the per-endpoint limit and Bybit's HMAC authentication, in that order. Every answer is
 * `{ retCode, retMsg, result, retExtInfo, time }`; refusals keep HTTP 200 as Bybit does, except
 * the IP limit (HTTP 403, plain text).
 */
export function createBybitRestHandler(
  deps: BybitRestDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const ex = deps.exchange;
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const method = req.method ?? 'GET';
      const path = url.pathname;
      const key = `${method} ${path}`;
      // The envelope's `time` is the clock clients see (skewed by a fault): ccxt's fetchTime
      // reads it, so a client that measures the clock again after 10002 can catch up.
      const seenNow = (): number => ex.clock.now() + deps.faults.clockSkewMs();
      const answerError = (e: BybitError): void =>
        e.status === 403
          ? send(res, 403, e.message)
          : send(res, e.status, e.body(seenNow()), e.headers);
      try {
        const body = await readBody(req);
        const route = bybitRoutes[key];
        deps.counter.count(route === undefined ? 'other' : key);
        deps.limiter.countIp();
        if (route === undefined) {
          send(res, 404, { retCode: 10017, retMsg: `The emulator does not implement ${key}.` });
          return;
        }
        const latency = deps.faults.latencyFor(method, path);
        if (latency > 0) await sleep(latency);
        const fault = deps.faults.intercept(method, path);
        if (fault !== undefined) throw bybitErrorOf(fault, ex.clock.now());
        const query = url.search.startsWith('?') ? url.search.slice(1) : '';
        const now = seenNow();
        let headers: Record<string, string> = {};
        if (route.signed) {
          checkBybitAuth(
            {
              apiKey: header(req, 'x-bapi-api-key'),
              timestamp: header(req, 'x-bapi-timestamp'),
              sign: header(req, 'x-bapi-sign'),
              recvWindow: header(req, 'x-bapi-recv-window'),
            },
            method === 'POST' ? body : query,
            deps.credentials,
            now,
          );
          // Bybit counts per account, so only once the key is known.
          headers = deps.limiter.spend(key);
        }
        let answer: () => void;
        try {
          const result = route.handle({ params: paramsOf(method, query, body), exchange: ex, now });
          answer = () =>
            send(
              res,
              200,
              { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: seenNow() },
              headers,
            );
        } catch (e) {
          const error = e instanceof BinanceError ? bybitErrorOf(e, now) : e;
          if (!(error instanceof BybitError)) throw error;
          answer = () => answerError(error);
        }
        // The request took effect; an injected fault may still keep its outcome from the caller.
        const lost = deps.faults.loseResponse(method, path);
        if (lost === 'reset') req.socket.destroy();
        if (lost === undefined) answer();
      } catch (e) {
        if (e instanceof BybitError) return answerError(e);
        if (e instanceof BinanceError) return answerError(bybitErrorOf(e, ex.clock.now()));
        deps.onError(e);
        answerError(bybitErrors.internal());
      }
    })();
  };
}
