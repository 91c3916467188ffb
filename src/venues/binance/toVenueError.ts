import ccxt from 'ccxt';
import { toCcxtVenueError, type VenueErrorRules } from '../ccxt/toCcxtVenueError.ts';
import type { VenueError, VenueErrorKind } from '../port.ts';
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

/** Returns Binance's error code in a ccxt message (`binanceusdm {"code":-2021,…}`), if any. */
function binanceCode(message: string): string | undefined {
  return /"code"\s*:\s*"?(-\d+)/.exec(message)?.[1];
}

const RULES: VenueErrorRules = {
  codeOf: binanceCode,
  retryAfterMs: (error) => (error instanceof RateLimitedError ? error.retryAfterMs : undefined),
  first: (error, message, code) => {
    // A 429 is a rate limit whatever code its body carries (-2015 during a temporary ban).
    if (error instanceof ccxt.DDoSProtection) return 'rateLimited';
    if (code === undefined && /ReduceOnly Order is rejected/i.test(message)) return 'noPosition';
    return undefined;
  },
  byCode: BY_CODE,
  byClass: [[ccxt.OrderImmediatelyFillable, 'immediatelyTriggers']],
};

/**
 * Returns the VenueError for a failed ccxt call, its message passed through `redact` so no
 * credential reaches a log. A VenueError passes through unchanged.
 */
export function toVenueError(error: unknown, redact: (text: string) => string): VenueError {
  return toCcxtVenueError(error, redact, RULES);
}
