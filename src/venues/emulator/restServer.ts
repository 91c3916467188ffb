import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin, isLoopback, type AdminDeps } from './admin.ts';
import { checkApiKey, checkSignature, type Credentials } from './auth.ts';
import { BinanceError, errors } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import type { ListenKeys } from './listenKeys.ts';
import type { RequestCounter } from './requestCounter.ts';
import { weightOf, type WeightLimiter } from './rateLimiter.ts';
import { routes } from './restRoutes.ts';

/** What the REST front needs. */
export interface RestDeps {
  readonly admin: AdminDeps;
  readonly listenKeys: ListenKeys;
  readonly faults: FaultInjector;
  readonly limiter: WeightLimiter;
  readonly credentials: Credentials;
  readonly counter: RequestCounter;
  /** Called with unexpected errors (bugs), which answer HTTP 500. */
  readonly onError: (err: unknown) => void;
}

const MAX_BODY = 1 << 20;

/** Returns the request body as text; rejects past 1 MiB. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BinanceError(-1000, 'Request body too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Returns the HTTP request listener that serves the emulated `/fapi` endpoints (with faults,
 * request weights and Binance's authentication, in that order) and the loopback-only `/admin` API.
 */
export function createRestHandler(
  deps: RestDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const ex = deps.admin.exchange;
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const method = req.method ?? 'GET';
      const path = url.pathname;
      try {
        const body = await readBody(req);
        if (path.startsWith('/admin')) {
          if (!isLoopback(req.socket.remoteAddress)) {
            send(res, 403, { error: 'the admin API answers loopback clients only' });
            return;
          }
          let json: unknown = {};
          if (body.trim() !== '') {
            try {
              json = JSON.parse(body);
            } catch {
              send(res, 400, { error: 'body: not valid JSON' });
              return;
            }
          }
          const reply = handleAdmin(deps.admin, method, path, json);
          if (reply === undefined) send(res, 404, { error: `no admin route ${method} ${path}` });
          else send(res, reply.status, reply.body);
          return;
        }
        const route = routes[`${method} ${path}`];
        deps.counter.count(route === undefined ? 'other' : `${method} ${path}`);
        if (route === undefined) {
          send(res, 404, {
            code: -1000,
            msg: `The emulator does not implement ${method} ${path}.`,
          });
          return;
        }
        const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
        const params = new URLSearchParams(query);
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
        // When a cancel was sent is what the protection records judge (not when it took effect).
        if (method === 'DELETE' && path === '/fapi/v1/algoOrder') {
          const id = params.get('algoId');
          ex.noteCancelRequested(
            id !== null && /^\d+$/.test(id) ? Number(id) : undefined,
            params.get('clientAlgoId') ?? undefined,
          );
        }
        const latency = deps.faults.latencyFor(method, path);
        if (latency > 0) await sleep(latency);
        const fault = deps.faults.intercept(method, path);
        if (fault !== undefined) throw fault;
        const used = deps.limiter.spend(weightOf(method, path, params.has('symbol')));
        const headers = { 'X-MBX-USED-WEIGHT-1M': String(used) };
        // What the client sees of the clock may be skewed; the matching core keeps the true time.
        const now = ex.clock.now() + deps.faults.clockSkewMs();
        if (route.security !== 'NONE') {
          const key = req.headers['x-mbx-apikey'];
          checkApiKey(Array.isArray(key) ? key[0] : key, deps.credentials);
        }
        if (route.security === 'SIGNED') checkSignature(query, body, params, deps.credentials, now);
        let answer: () => void;
        try {
          const result = route.handle({
            params,
            exchange: ex,
            listenKeys: deps.listenKeys,
            weightLimit: deps.limiter.limit,
            now,
          });
          answer = () => send(res, 200, result, headers);
        } catch (e) {
          if (!(e instanceof BinanceError)) throw e;
          answer = () => send(res, e.status, e.body(), { ...e.headers });
        }
        // The request took effect; an injected fault may still keep its outcome from the caller.
        const lost = deps.faults.loseResponse(method, path);
        if (lost === 'reset') req.socket.destroy();
        // 'hold': no answer at all; the client's timeout ends the exchange (or close() does).
        if (lost === undefined) answer();
      } catch (e) {
        if (e instanceof BinanceError) {
          send(res, e.status, e.body(), { ...e.headers });
          return;
        }
        deps.onError(e);
        const err = errors.unknown();
        send(res, 500, err.body());
      }
    })();
  };
}
