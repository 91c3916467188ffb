import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Returns true for host names that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase());
}

/**
 * Returns why the inspector must not bind `host` as asked, or undefined when it may: any
 * host other than loopback exposes positions to the network, so it needs a token.
 */
export function bindingProblem(host: string, token: string | undefined): string | undefined {
  if (isLoopback(host)) return undefined;
  if (token === undefined || token.length === 0) {
    return `--host ${host} would let other machines read your positions; pass --token T as well (then every API and WebSocket request must carry it), or keep the default --host 127.0.0.1.`;
  }
  if (token.length < 8) return `--token must be at least 8 characters long (got ${token.length}).`;
  return undefined;
}

/** Returns the token a request carries: `Authorization: Bearer T` or `?token=T` (WebSockets cannot set headers). */
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

/** The outcome of checking one request: allowed, or refused with a status and a reason. */
export type AccessDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/**
 * Decides whether an API or stream request may proceed. With a token configured, the
 * request must carry it (401 otherwise). Without one the server is loopback-only, and the
 * Host header must name a loopback host: that stops DNS-rebinding pages from reading the API.
 * A WebSocket's Origin, when sent, must match its Host, since browsers let any site open one.
 */
export function checkAccess(
  req: IncomingMessage,
  url: URL,
  token: string | undefined,
): AccessDecision {
  if (token !== undefined) {
    const presented = presentedToken(req, url);
    if (presented === undefined || !sameSecret(presented, token)) {
      return { ok: false, status: 401, reason: 'missing or wrong token' };
    }
  } else {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopback(host))
      return { ok: false, status: 403, reason: `host ${host} is not loopback` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && req.headers.upgrade !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { ok: false, status: 403, reason: 'bad origin' };
    }
    if (originHost !== req.headers.host)
      return { ok: false, status: 403, reason: `origin ${origin} is not this page` };
  }
  return { ok: true };
}
