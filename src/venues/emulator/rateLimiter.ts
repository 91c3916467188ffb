import { errors } from './errors.ts';

/**
 * Binance's REQUEST_WEIGHT limit: each endpoint costs a weight, summed per IP over a calendar
 * minute; past the limit the answer is HTTP 429 with Retry-After and code -1003. One bucket for
 * the whole emulator, since every client is on loopback.
 */
export class WeightLimiter {
  private windowStart = 0;
  private used = 0;

  /** Returns a limiter allowing `limit` weight per minute of `now()`. */
  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Adds `weight` and returns the weight used this minute; throws the 429 error when over. */
  spend(weight: number): number {
    const t = this.now();
    const start = Math.floor(t / 60_000) * 60_000;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    this.used += weight;
    if (this.used > this.limit) {
      throw errors.tooManyRequests(Math.max(1, Math.ceil((start + 60_000 - t) / 1000)), this.limit);
    }
    return this.used;
  }

  /** Returns the weight used in the current minute. */
  usedWeight(): number {
    return Math.floor(this.now() / 60_000) * 60_000 === this.windowStart ? this.used : 0;
  }
}

/** Request weights of the emulated endpoints (Binance's published values; unlisted cost 1). */
export const endpointWeights: Readonly<Record<string, number | { symbol: number; all: number }>> = {
  'GET /fapi/v1/exchangeInfo': 1,
  'GET /fapi/v1/ticker/price': { symbol: 1, all: 2 },
  'GET /fapi/v2/ticker/price': { symbol: 1, all: 2 },
  'GET /fapi/v1/ticker/24hr': { symbol: 1, all: 40 },
  'GET /fapi/v1/ticker/bookTicker': { symbol: 2, all: 5 },
  'GET /fapi/v1/premiumIndex': 1,
  'GET /fapi/v1/leverageBracket': 1,
  'GET /fapi/v2/positionRisk': 5,
  'GET /fapi/v3/positionRisk': 5,
  'GET /fapi/v1/openAlgoOrders': { symbol: 1, all: 40 },
  'GET /fapi/v1/openOrders': { symbol: 1, all: 40 },
  'POST /fapi/v1/order': 0,
  'POST /fapi/v1/algoOrder': 0,
};

/** Returns the weight of one request. */
export function weightOf(method: string, path: string, hasSymbol: boolean): number {
  const w = endpointWeights[`${method} ${path}`];
  if (w === undefined) return 1;
  return typeof w === 'number' ? w : hasSymbol ? w.symbol : w.all;
}
