import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../auth.ts';
import { bybitErrors } from './bybitError.ts';

/** How far ahead of the server a request timestamp may be, as on Bybit. */
const FUTURE_TOLERANCE_MS = 1000;

/** The X-BAPI-* headers of one request, as received (a header may be absent). */
export interface BybitAuthHeaders {
  readonly apiKey: string | undefined;
  readonly timestamp: string | undefined;
  readonly sign: string | undefined;
  readonly recvWindow: string | undefined;
}

/**
 * Verifies a private v5 request the way Bybit does: the key (10003), the hex HMAC-SHA256 of
 * timestamp + key + recvWindow + payload, where the payload is the query string of a GET and the
 * body of a POST (10004), then the timestamp against `now` and recvWindow (default 5000; 10002).
 */
export function checkBybitAuth(
  headers: BybitAuthHeaders,
  payload: string,
  creds: Credentials,
  now: number,
): void {
  if (headers.apiKey === undefined || headers.apiKey !== creds.apiKey)
    throw bybitErrors.badApiKey();
  const timestamp = headers.timestamp ?? '';
  const recvWindow = headers.recvWindow ?? '5000';
  const origin = timestamp + headers.apiKey + recvWindow + payload;
  const expected = createHmac('sha256', creds.secret).update(origin).digest('hex');
  const given = (headers.sign ?? '').toLowerCase();
  const ok =
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw bybitErrors.badSignature(origin);
  const ts = Number(timestamp);
  const window = Number(recvWindow);
  if (
    !/^\d+$/.test(timestamp) ||
    !Number.isFinite(window) ||
    window <= 0 ||
    ts > now + FUTURE_TOLERANCE_MS ||
    now - ts > window
  )
    throw bybitErrors.badTimestamp(timestamp, now, recvWindow);
}

/**
 * Returns whether a WebSocket `auth` op is valid: `[key, expires, signature]` where the signature
 * is the hex HMAC-SHA256 of `GET/realtime` + expires, and expires lies in the future.
 */
export function checkBybitWsAuth(
  args: readonly unknown[],
  creds: Credentials,
  now: number,
): boolean {
  const [key, expires, signature] = args;
  if (key !== creds.apiKey || typeof signature !== 'string') return false;
  const at = Number(expires);
  if (!Number.isFinite(at) || at <= now) return false;
  const expected = createHmac('sha256', creds.secret)
    .update(`GET/realtime${String(expires)}`)
    .digest('hex');
  return (
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature.toLowerCase()), Buffer.from(expected))
  );
}
