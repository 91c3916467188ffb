import { BinanceError } from '../errors.ts';

/**
 * Bybit answers a refusal with HTTP 200 and a body `{ retCode, retMsg, … }`; ccxt's `bybit` maps
 * the retCode to its error classes, so the emulator reproduces both. The IP limit is the exception:
 * HTTP 403 with a plain-text body.
 */
export class BybitError extends Error {
  /** Returns an error the Bybit front serialises as `{ retCode, retMsg, result: {} }`. */
  constructor(
    readonly retCode: number,
    retMsg: string,
    readonly status = 200,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(retMsg);
    this.name = 'BybitError';
  }

  /** Returns the wire body Bybit sends for this error at `now`. */
  body(now: number): Record<string, unknown> {
    return { retCode: this.retCode, retMsg: this.message, result: {}, retExtInfo: {}, time: now };
  }
}

/** Bybit's price format in its error texts: the price times 10 000, as a whole number. */
function e4(price: string): string {
  const [whole = '0', fraction = ''] = price.split('.');
  return `${whole}${fraction.padEnd(4, '0').slice(0, 4)}`.replace(/^0+(?=\d)/, '');
}

/** The retCodes the emulator answers, named so call sites read like Bybit's documentation. */
export const bybitErrors = {
  params: (detail: string) => new BybitError(10001, detail),
  notEmulated: (what: string) =>
    new BybitError(10001, `${what} is not emulated by the Ratchet exchange emulator.`),
  badTimestamp: (timestamp: string, now: number, recvWindow: string) =>
    new BybitError(
      10002,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${timestamp}],server_timestamp[${now}],recv_window[${recvWindow}]`,
    ),
  badApiKey: () => new BybitError(10003, 'API key is invalid.'),
  badSignature: (origin: string) => new BybitError(10004, `error sign! origin_string[${origin}]`),
  tooManyVisits: (resetAt: number, limit: number) =>
    new BybitError(10006, 'Too many visits!', 200, {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': '0',
      'X-Bapi-Limit-Reset-Timestamp': String(resetAt),
    }),
  internal: () => new BybitError(10016, 'Internal server error.'),
  ipLimit: () => new BybitError(-1, 'access too frequent', 403),
  zeroPosition: () => new BybitError(10001, 'can not set tp/sl/ts for zero position'),
  stopPastBase: (
    side: 'Buy' | 'Sell',
    stop: string,
    base: string,
    triggerBy: 'LastPrice' | 'MarkPrice',
  ) =>
    new BybitError(
      10001,
      `sl:${e4(stop)} set for ${side} position should ${side === 'Buy' ? 'lower' : 'greater'} base_price:${e4(base)}??${triggerBy}`,
    ),
  notModified: () => new BybitError(34040, 'not modified'),
  orderNotFound: () => new BybitError(110001, 'order not exists or too late to cancel'),
  insufficient: () => new BybitError(110007, 'ab not enough for new order'),
  reduceOnlyZero: () =>
    new BybitError(110017, 'current position is zero, cannot fix reduce-only order qty'),
  reduceOnlyRule: () => new BybitError(110017, 'Reduce-only rule not satisfied'),
  duplicateLinkId: () => new BybitError(110072, 'OrderLinkedID is duplicate'),
} as const;

/** Binance codes the shared core and fault injector raise, and Bybit's nearest retCode for each. */
const FROM_BINANCE: Readonly<Record<number, () => BybitError>> = {
  [-1001]: bybitErrors.internal,
  [-1121]: () => bybitErrors.params('params error: symbol invalid'),
  [-2011]: bybitErrors.orderNotFound,
  [-2013]: bybitErrors.orderNotFound,
  [-2019]: bybitErrors.insufficient,
  [-2022]: bybitErrors.reduceOnlyRule,
};

/**
 * Returns the Bybit form of an error the shared core or the fault injector raised in Binance's
 * terms: a 429 burst becomes 10006 with the reset time `now` + Retry-After, a positive code (a
 * Bybit retCode given to `/admin/faults`) is answered as it is, any other Binance code as 10001.
 */
export function bybitErrorOf(error: BinanceError, now: number): BybitError {
  if (error.code === -1003) {
    const seconds = Number(error.headers['Retry-After'] ?? '1');
    return bybitErrors.tooManyVisits(now + seconds * 1000, 0);
  }
  if (error.code > 0) return new BybitError(error.code, error.message);
  return FROM_BINANCE[error.code]?.() ?? bybitErrors.params(error.message);
}

export { BinanceError };
