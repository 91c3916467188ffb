import ccxt from 'ccxt';
import { VenueError, type VenueErrorKind } from '../port.ts';
import { RateLimitedError } from './binanceUsdmClient.ts';

/**
 * Binance's own codes decide first: the table ccxt applies depends on the host (on a compatible
 * server -2021 is a bare ExchangeError), and some codes ccxt leaves generic (-4045, -4130).
 */
const BY_CODE: Readonly<Record<string, VenueErrorKind>> = {
  '-1001': 'retryable', // internal error; unable to process the request
  '-1003': 'rateLimited', // too much request weight
  '-1007': 'unknownOutcome', // timeout waiting for the backend: execution status unknown
  '-1008': 'retryable', // server overloaded
  '-1021': 'clockSkew', // timestamp outside recvWindow
  '-1022': 'auth', // bad signature
  '-2014': 'auth', // API-key format invalid
  '-2015': 'auth', // invalid API-key, IP, or permissions
  '-2011': 'notFound', // cancel of an unknown order
  '-2013': 'notFound', // order does not exist
  '-2019': 'insufficientFunds', // margin is insufficient
  '-2021': 'immediatelyTriggers', // order would immediately trigger
  '-4142': 'immediatelyTriggers', // stop would be triggered immediately
  '-2022': 'noPosition', // ReduceOnly order is rejected
  '-4045': 'tooManyStops', // reach max stop order limit
  '-4130': 'closePositionConflict', // a closePosition stop already rests in that direction
};

/** Order matters: a subclass before its parent (RequestTimeout and friends extend NetworkError). */
const BY_CLASS: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, VenueErrorKind]> =
  [
    [ccxt.RateLimitExceeded, 'rateLimited'],
    [ccxt.DDoSProtection, 'rateLimited'],
    [ccxt.InvalidNonce, 'clockSkew'],
    [ccxt.ExchangeNotAvailable, 'retryable'],
    [ccxt.RequestTimeout, 'unknownOutcome'],
    [ccxt.NetworkError, 'unknownOutcome'],
    [ccxt.BadResponse, 'unknownOutcome'],
    [ccxt.OperationFailed, 'retryable'],
    [ccxt.AuthenticationError, 'auth'],
    [ccxt.OrderNotFound, 'notFound'],
    [ccxt.OrderImmediatelyFillable, 'immediatelyTriggers'],
    [ccxt.InsufficientFunds, 'insufficientFunds'],
    [ccxt.InvalidOrder, 'invalid'],
    [ccxt.BadRequest, 'invalid'],
    [ccxt.ArgumentsRequired, 'invalid'],
    [ccxt.NotSupported, 'invalid'],
  ];

/** Returns Binance's error code in a ccxt message (`binanceusdm {"code":-2021,…}`), if any. */
function binanceCode(message: string): string | undefined {
  return /"code"\s*:\s*"?(-\d+)/.exec(message)?.[1];
}

/**
 * Returns the VenueError for a failed ccxt call, its message passed through `redact` so no
 * credential reaches a log. A VenueError passes through unchanged.
 */
export function toVenueError(error: unknown, redact: (text: string) => string): VenueError {
  if (error instanceof VenueError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw);
  const code = binanceCode(raw);
  const retryAfter = error instanceof RateLimitedError ? error.retryAfterMs : undefined;
  const details = {
    ...(code === undefined ? {} : { code }),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  };
  // A 429 is a rate limit whatever code its body carries (-2015 during a temporary ban).
  if (error instanceof ccxt.DDoSProtection) return new VenueError('rateLimited', message, details);
  if (code === undefined && /ReduceOnly Order is rejected/i.test(raw))
    return new VenueError('noPosition', message, details);
  const byCode = code === undefined ? undefined : BY_CODE[code];
  if (byCode !== undefined) return new VenueError(byCode, message, details);
  for (const [type, kind] of BY_CLASS)
    if (error instanceof type) return new VenueError(kind, message, details);
  return new VenueError('exchange', message, details);
}
