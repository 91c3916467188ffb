import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.ts';

/** The key pair the emulated account accepts. */
export interface Credentials {
  readonly apiKey: string;
  readonly secret: string;
}

/** How far ahead of the server a request timestamp may be, as on Binance. */
const FUTURE_TOLERANCE_MS = 1000;
const MAX_RECV_WINDOW_MS = 60_000;

/** Throws -2014/-2015 unless the X-MBX-APIKEY header carries the account's key. */
export function checkApiKey(header: string | undefined, creds: Credentials): void {
  if (header === undefined || header.length === 0) throw errors.badApiKeyFormat();
  if (header !== creds.apiKey) throw errors.badApiKey();
}

/**
 * Verifies a signed (USER_DATA/TRADE) request the way Binance does: the HMAC-SHA256 of the query
 * string concatenated with the body, without the trailing `signature` parameter; then the
 * timestamp against `now` and recvWindow (default 5000 ms). Throws -1022, -1021 or -1102.
 */
export function checkSignature(
  query: string,
  body: string,
  params: URLSearchParams,
  creds: Credentials,
  now: number,
): void {
  const total = query + body;
  const match = /(?:^|&)signature=([^&]*)/.exec(total);
  if (match === null) throw errors.mandatoryMissing('signature');
  const unsigned = total.slice(0, match.index) + total.slice(match.index + match[0].length);
  const expected = createHmac('sha256', creds.secret).update(unsigned).digest('hex');
  const given = (match[1] ?? '').toLowerCase();
  const ok =
    given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw errors.badSignature();
  const timestamp = Number(params.get('timestamp'));
  if (!Number.isFinite(timestamp) || params.get('timestamp') === null)
    throw errors.mandatoryMissing('timestamp');
  const recvRaw = params.get('recvWindow');
  const recvWindow = recvRaw === null ? 5000 : Number(recvRaw);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > MAX_RECV_WINDOW_MS)
    throw errors.badParam('recvWindow');
  if (timestamp > now + FUTURE_TOLERANCE_MS || now - timestamp > recvWindow)
    throw errors.timestampOutside();
}
