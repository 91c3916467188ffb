import { toCcxtVenueError, type VenueErrorRules } from '../ccxt/toCcxtVenueError.ts';
import type { VenueError, VenueErrorKind } from '../port.ts';
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

/** Returns Bybit's retCode in a ccxt message (`bybit {"retCode":10001,…}`), if any. */
export function bybitCode(message: string): string | undefined {
  return /"ret_?[cC]ode"\s*:\s*"?(-?\d+)/.exec(message)?.[1];
}

const RULES: VenueErrorRules = {
  codeOf: bybitCode,
  retryAfterMs: (error) =>
    error instanceof BybitRateLimitedError ? error.retryAfterMs : undefined,
  first: (error, message, code) => {
    if (error instanceof BybitRateLimitedError) return 'rateLimited';
    if (code === '10001' && /should (?:lower|greater|higher)(?: than)? base_price/i.test(message))
      return 'immediatelyTriggers';
    if (code === '10001' && /zero position/i.test(message)) return 'noPosition';
    // The private stream's refused `auth` op arrives as a bare ExchangeError.
    if (code === undefined && /not authorized|authentication failed/i.test(message)) return 'auth';
    return undefined;
  },
  byCode: BY_CODE,
};

/**
 * Returns the VenueError for a failed ccxt call, its message passed through `redact` so no
 * credential reaches a log. A VenueError passes through unchanged. Two 10001 answers say more
 * than "bad parameter": a stop already past the price (immediatelyTriggers) and a stop for a
 * flat position (noPosition).
 */
export function toBybitVenueError(error: unknown, redact: (text: string) => string): VenueError {
  return toCcxtVenueError(error, redact, RULES);
}
