/** What the breaker answers before a call. */
export type BreakerVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryInMs: number };

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive venue failures that open the circuit. */
  readonly failuresToOpen: number;
  /** How long the circuit first stays open before one probe call is let through. */
  readonly firstOpenMs: number;
  /** The longest it stays open: each failed probe doubles the pause up to this. */
  readonly openMs: number;
  /** Called when the circuit opens and when it closes again. */
  readonly onChange?: (open: boolean, reason: string) => void;
}

/**
 * A per-venue circuit breaker: after `failuresToOpen` consecutive failures that say the venue
 * is unwell (5xx, timeouts), calls are refused for `firstOpenMs` — stops already resting stay
 * where they are — then one probe goes through; its success closes the circuit, its failure
 * opens it again for twice as long, up to `openMs`. A short first pause matters: a position
 * opened meanwhile has no stop until the circuit lets a call through. Time comes from the caller.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil: number | null = null;
  private probing = false;
  private pauseMs: number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.pauseMs = options.firstOpenMs;
  }

  /** Returns whether a call may be sent at `now`. */
  admit(now: number): BreakerVerdict {
    if (this.openUntil === null) return { allowed: true };
    if (now < this.openUntil || this.probing) {
      return { allowed: false, retryInMs: Math.max(1, (this.openUntil ?? now) - now) };
    }
    this.probing = true;
    return { allowed: true };
  }

  /** Records a call's outcome: `healthy` false for failures that count against the venue. */
  record(now: number, healthy: boolean, reason = ''): void {
    if (healthy) {
      this.failures = 0;
      this.probing = false;
      this.pauseMs = this.options.firstOpenMs;
      if (this.openUntil !== null) {
        this.openUntil = null;
        this.options.onChange?.(false, 'the venue answered again');
      }
      return;
    }
    this.failures += 1;
    const wasOpen = this.openUntil !== null;
    if (this.probing || this.failures >= this.options.failuresToOpen) {
      if (this.probing) this.pauseMs = Math.min(this.options.openMs, this.pauseMs * 2);
      this.probing = false;
      this.openUntil = now + this.pauseMs;
      if (!wasOpen) this.options.onChange?.(true, reason);
    }
  }

  /** Whether calls are being refused. */
  get isOpen(): boolean {
    return this.openUntil !== null;
  }
}
