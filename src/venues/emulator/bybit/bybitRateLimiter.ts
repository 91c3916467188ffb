import { bybitErrors } from './bybitError.ts';

/**
 * Bybit's published v5 limits for a unified account, per endpoint per second (requests; every
 * endpoint not listed gets 10 as Bybit's default for private reads).
 */
export const BYBIT_ENDPOINT_LIMITS: Readonly<Record<string, number>> = {
  'POST /v5/order/create': 10,
  'POST /v5/order/cancel': 10,
  'POST /v5/position/trading-stop': 10,
  'GET /v5/order/realtime': 50,
  'GET /v5/order/history': 50,
  'GET /v5/position/list': 50,
  'GET /v5/account/wallet-balance': 50,
};

/** Requests per IP in a 5-second window before HTTP 403, as on Bybit (all endpoints together). */
export const BYBIT_IP_LIMIT = 600;

/**
 * Bybit's two limits: per account and endpoint per second (retCode 10006 "Too many visits!", with
 * the `X-Bapi-Limit*` headers Bybit sends on every answer), and per IP over 5 seconds (HTTP 403).
 * Windows are aligned on the emulator clock; one account, so one bucket per endpoint, and the
 * endpoints are the route table's, so the map stays bounded.
 */
export class BybitRateLimiter {
  private readonly used = new Map<string, { window: number; count: number }>();
  private ip = { window: 0, count: 0 };

  /** Returns a limiter on the clock `now`, with `ipLimit` requests per 5 s. */
  constructor(
    private readonly now: () => number,
    private readonly ipLimit = BYBIT_IP_LIMIT,
  ) {}

  /** Counts one request to any Bybit path; throws the 403 once the IP's window is spent. */
  countIp(): void {
    const window = Math.floor(this.now() / 5000);
    if (window !== this.ip.window) this.ip = { window, count: 0 };
    this.ip.count += 1;
    if (this.ip.count > this.ipLimit) throw bybitErrors.ipLimit();
  }

  /**
   * Counts one request to `endpoint` (a route key, `METHOD /path`) and returns the headers that
   * report the budget left; throws 10006 past the endpoint's limit for this second.
   */
  spend(endpoint: string): Record<string, string> {
    const t = this.now();
    const window = Math.floor(t / 1000);
    const limit = BYBIT_ENDPOINT_LIMITS[endpoint] ?? 10;
    let entry = this.used.get(endpoint);
    if (entry?.window !== window) {
      entry = { window, count: 0 };
      this.used.set(endpoint, entry);
    }
    entry.count += 1;
    const resetAt = (window + 1) * 1000;
    if (entry.count > limit) throw bybitErrors.tooManyVisits(resetAt, limit);
    return {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': String(limit - entry.count),
      'X-Bapi-Limit-Reset-Timestamp': String(t),
    };
  }
}
