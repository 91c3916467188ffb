import { z } from 'zod';
import { BinanceError, errors } from './errors.ts';
import type { Random } from './random.ts';

const lostRule = z
  .object({
    endpoint: z.string().optional(),
    count: z.number().int().min(1).default(1),
    mode: z.enum(['hold', 'reset']).default('hold'),
  })
  .strict();

/**
 * Faults an operator or a test injects through `POST /admin/faults`. Endpoint keys are paths
 * ("/fapi/v1/algoOrder") optionally prefixed by a method ("POST /fapi/v1/algoOrder"); "*" means
 * every Binance endpoint.
 */
export const faultsSchema = z
  .object({
    /** Delay before every answer, or per endpoint. */
    latencyMs: z
      .union([z.number().int().min(0), z.record(z.string(), z.number().int().min(0))])
      .optional(),
    /** Probability per endpoint that a request answers HTTP 503 / -1001. */
    errorRate: z.record(z.string(), z.number().min(0).max(1)).optional(),
    /** The next `requests` requests answer HTTP 429 with Retry-After. */
    burst429: z
      .object({
        requests: z.number().int().min(1),
        retryAfterSec: z.number().int().min(0).default(1),
      })
      .optional(),
    /** Drops every open WebSocket connection now (as an abrupt TCP close). */
    wsDisconnect: z.boolean().optional(),
    /** The next `count` order placements (or requests to `endpoint`) are refused with this error. */
    reject: z
      .object({
        count: z.number().int().min(1).default(1),
        endpoint: z.string().optional(),
        code: z.number().int().default(-2019),
        msg: z.string().default('Margin is insufficient.'),
        status: z.number().int().min(400).max(599).default(400),
      })
      .optional(),
    /**
     * The next `count` requests to `endpoint` (default: the order placements) are executed but
     * their answer is lost, so the caller cannot know the outcome: `hold` never answers (the
     * client times out), `reset` destroys the connection after executing. Replaces earlier rules.
     */
    lostResponse: z.union([lostRule, z.array(lostRule).max(20)]).optional(),
    /**
     * Skews the exchange's clock as its clients see it (`GET /fapi/v1/time`, answer timestamps,
     * the recvWindow check of signed requests) by this many ms: positive runs ahead, negative
     * behind. Matching, fills and the protection record keep the true clock.
     */
    clockSkewMs: z.number().int().min(-60_000).max(60_000).optional(),
    /**
     * Market WebSocket streams of these symbols ("*": all) send nothing while the exchange keeps
     * trading; REST prices and user-data streams are unaffected. An empty list thaws them.
     */
    frozenStreams: z.union([z.literal('*'), z.array(z.string()).max(100)]).optional(),
    /** Removes every standing fault before applying the others. */
    clear: z.boolean().optional(),
  })
  .strict();

/** The body of `POST /admin/faults` as a caller writes it (defaults may be omitted). */
export type FaultsInput = z.input<typeof faultsSchema>;
/** The body of `POST /admin/faults` after validation, defaults filled in. */
export type Faults = z.infer<typeof faultsSchema>;

/** How an answer is lost: never sent (the client times out), or the connection destroyed. */
export type LostResponseMode = 'hold' | 'reset';

interface LostRule {
  remaining: number;
  readonly endpoint: string | undefined;
  readonly mode: LostResponseMode;
}

interface Rejection {
  remaining: number;
  endpoint: string | undefined;
  error: BinanceError;
}

const ORDER_PLACEMENTS = [
  'POST /fapi/v1/order',
  'POST /fapi/v1/algoOrder',
  'POST /v5/order/create',
  'POST /v5/position/trading-stop',
];

function matches(key: string, method: string, path: string): boolean {
  return key === '*' || key === path || key === `${method} ${path}`;
}

/** The standing faults and the decisions they imply for each request. */
export class FaultInjector {
  private latency: number | Record<string, number> = 0;
  private errorRates: Record<string, number> = {};
  private burst: { remaining: number; retryAfterSec: number } | undefined;
  private rejection: Rejection | undefined;
  private lostRules: LostRule[] = [];
  private lostCount = 0;
  private skewMs = 0;
  private frozen: '*' | ReadonlySet<string> = new Set();

  /** Returns an injector drawing its error-rate coin flips from `random` (seeded). */
  constructor(private readonly random: Random) {}

  /** Applies a parsed admin request; the WebSocket disconnect is the caller's to perform. */
  apply(input: Faults): void {
    if (input.clear === true) this.clear();
    if (input.latencyMs !== undefined) this.latency = input.latencyMs;
    if (input.errorRate !== undefined) this.errorRates = { ...this.errorRates, ...input.errorRate };
    if (input.burst429 !== undefined)
      this.burst = {
        remaining: input.burst429.requests,
        retryAfterSec: input.burst429.retryAfterSec,
      };
    if (input.reject !== undefined) {
      const r = input.reject;
      this.rejection = {
        remaining: r.count,
        endpoint: r.endpoint,
        error: new BinanceError(r.code, r.msg, r.status),
      };
    }
    if (input.lostResponse !== undefined) {
      const rules = Array.isArray(input.lostResponse) ? input.lostResponse : [input.lostResponse];
      this.lostRules = rules.map((r) => ({
        remaining: r.count,
        endpoint: r.endpoint,
        mode: r.mode,
      }));
    }
    if (input.clockSkewMs !== undefined) this.skewMs = input.clockSkewMs;
    if (input.frozenStreams !== undefined)
      this.frozen =
        input.frozenStreams === '*'
          ? '*'
          : new Set(input.frozenStreams.map((s) => s.toUpperCase()));
  }

  /** Removes every fault. */
  clear(): void {
    this.latency = 0;
    this.errorRates = {};
    this.burst = undefined;
    this.rejection = undefined;
    this.lostRules = [];
    this.skewMs = 0;
    this.frozen = new Set();
  }

  /** Returns the skew to add to the true clock for what clients see of the exchange's time. */
  clockSkewMs(): number {
    return this.skewMs;
  }

  /** Returns whether the market streams of `symbol` are frozen. */
  isFrozen(symbol: string): boolean {
    return this.frozen === '*' || this.frozen.has(symbol.toUpperCase());
  }

  /** Returns the delay to apply before answering this request. */
  latencyFor(method: string, path: string): number {
    if (typeof this.latency === 'number') return this.latency;
    let ms = 0;
    for (const [key, value] of Object.entries(this.latency))
      if (matches(key, method, path)) ms = Math.max(ms, value);
    return ms;
  }

  /** Returns the error a fault imposes on this request, consuming one unit of a burst/rejection. */
  intercept(method: string, path: string): BinanceError | undefined {
    if (this.burst !== undefined) {
      const burst = this.burst;
      burst.remaining -= 1;
      if (burst.remaining <= 0) this.burst = undefined;
      return errors.tooManyRequests(burst.retryAfterSec, 0);
    }
    for (const [key, rate] of Object.entries(this.errorRates)) {
      if (matches(key, method, path) && this.random.next() < rate) return errors.internal();
    }
    const rej = this.rejection;
    if (rej !== undefined) {
      const hit =
        rej.endpoint === undefined
          ? ORDER_PLACEMENTS.includes(`${method} ${path}`)
          : matches(rej.endpoint, method, path);
      if (hit) {
        rej.remaining -= 1;
        if (rej.remaining <= 0) this.rejection = undefined;
        return rej.error;
      }
    }
    return undefined;
  }

  /**
   * Returns how the answer to this executed request is lost, consuming one unit of the first
   * matching rule; undefined when it is answered normally.
   */
  loseResponse(method: string, path: string): LostResponseMode | undefined {
    const rule = this.lostRules.find((r) =>
      r.endpoint === undefined
        ? ORDER_PLACEMENTS.includes(`${method} ${path}`)
        : matches(r.endpoint, method, path),
    );
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.lostRules = this.lostRules.filter((r) => r !== rule);
    this.lostCount += 1;
    return rule.mode;
  }

  /** Returns a JSON view of the standing faults for `GET /admin/state`. */
  describe(): Record<string, unknown> {
    return {
      latencyMs: this.latency,
      errorRate: this.errorRates,
      burst429: this.burst ?? null,
      reject:
        this.rejection === undefined
          ? null
          : {
              remaining: this.rejection.remaining,
              endpoint: this.rejection.endpoint ?? null,
              code: this.rejection.error.code,
            },
      lostResponse: this.lostRules.map((r) => ({
        endpoint: r.endpoint ?? null,
        remaining: r.remaining,
        mode: r.mode,
      })),
      lostResponses: this.lostCount,
      clockSkewMs: this.skewMs,
      frozenStreams: this.frozen === '*' ? '*' : [...this.frozen],
    };
  }
}
