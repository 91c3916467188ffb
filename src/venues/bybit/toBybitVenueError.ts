import ccxt from 'ccxt';
import { VenueError, type VenueErrorKind } from '../port.ts';
import { BybitRateLimitedError } from './bybitClient.ts';

/**
 * Bybit's own retCodes decide first: ccxt leaves several generic (34040, 10016, 110072) or in
 * a class that would mislead the engine (110017 is InvalidOrder, but means nothing to reduce).
 */
const BY_CODE: Readonly<Record<string, VenueErrorKind>> = {
  '10000': 'unknownOutcome', // server timeout: the request may have been executed
  '5004': 'unknownOutcome', // server timeout
  '10001': 'invalid', // parameter error (refined by the message below)
  '10002': 'clockSkew', // timestamp outside recv_window
  '10003': 'auth', // invalid API key
  '10004': 'auth', // invalid signature
  '10005': 'auth', // permission denied for this key
  '10007': 'auth', // authentication failed
  '10009': 'auth', // IP banned
  '10010': 'auth', // request IP not allowed for this key
  '10006': 'rateLimited', // too many visits (per account and endpoint)
  '10018': 'rateLimited', // IP rate limit
  '10016': 'retryable', // internal server error
  '110001': 'notFound', // order does not exist
  '110004': 'insufficientFunds',
  '110006': 'insufficientFunds',
  '110007': 'insufficientFunds', // available balance not enough
  '110012': 'insufficientFunds',
  '110044': 'insufficientFunds',
  '110045': 'insufficientFunds',
  '110009': 'tooManyStops', // too many stop orders
  '110017': 'noPosition', // reduce-only rule not satisfied / nothing to reduce
  '110092': 'immediatelyTriggers', // conditional order: trigger already passed (rising)
  '110093': 'immediatelyTriggers', // conditional order: trigger already passed (falling)
  // An order with our client id exists already: the earlier attempt went through; look it up.
  '110072': 'unknownOutcome',
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
    [ccxt.InsufficientFunds, 'insufficientFunds'],
    [ccxt.InvalidOrder, 'invalid'],
    [ccxt.BadRequest, 'invalid'],
    [ccxt.ArgumentsRequired, 'invalid'],
    [ccxt.NotSupported, 'invalid'],
  ];

/** Returns Bybit's retCode in a ccxt message (`bybit {"retCode":10001,…}`), if any. */
export function bybitCode(message: string): string | undefined {
  return /"ret_?[cC]ode"\s*:\s*"?(-?\d+)/.exec(message)?.[1];
}

/**
 * Returns the VenueError for a failed ccxt call, its message passed through `redact` so no
 * credential reaches a log. A VenueError passes through unchanged. Two 10001 answers say more
 * than "bad parameter": a stop already past the price (immediatelyTriggers) and a stop for a
 * flat position (noPosition).
 */
export function toBybitVenueError(error: unknown, redact: (text: string) => string): VenueError {
  if (error instanceof VenueError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw);
  const code = bybitCode(raw);
  const retryAfter = error instanceof BybitRateLimitedError ? error.retryAfterMs : undefined;
  const details = {
    ...(code === undefined ? {} : { code }),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  };
  if (error instanceof BybitRateLimitedError)
    return new VenueError('rateLimited', message, details);
  if (code === '10001' && /should (?:lower|greater|higher)(?: than)? base_price/i.test(raw))
    return new VenueError('immediatelyTriggers', message, details);
  if (code === '10001' && /zero position/i.test(raw))
    return new VenueError('noPosition', message, details);
  // The private stream's refused `auth` op arrives as a bare ExchangeError.
  if (code === undefined && /not authorized|authentication failed/i.test(raw))
    return new VenueError('auth', message, details);
  const byCode = code === undefined ? undefined : BY_CODE[code];
  if (byCode !== undefined) return new VenueError(byCode, message, details);
  for (const [type, kind] of BY_CLASS)
    if (error instanceof type) return new VenueError(kind, message, details);
  return new VenueError('exchange', message, details);
}
