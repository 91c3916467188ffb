import { AlertDeliveryError, type AlertChannel } from './alertChannels.ts';
import type { OutgoingAlert } from './alertThrottle.ts';

/** The timer functions alert delivery waits with: the real ones, or a test's manual ones. */
export interface AlertTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep the process alive on their own. */
export const REAL_TIMERS: AlertTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** How a {@link DeliveryQueue} retries and how much it holds. */
export interface DeliveryOptions {
  /** Alerts waiting at most; a new one beyond this drops the oldest waiting one. */
  readonly maxQueue: number;
  /** Attempts per alert, the first included. */
  readonly maxAttempts: number;
  /** The wait after the n-th failed attempt is initialMs × 2^(n−1), at most maxMs. */
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly timers: AlertTimers;
  /** Sees an alert given up on: a final refusal, or every attempt failed. */
  readonly onGaveUp?: (error: AlertDeliveryError, attempts: number) => void;
  /** Sees the first alert dropped after the last delivery. */
  readonly onDropped?: () => void;
}

/**
 * Delivers alerts to one channel, one at a time and in order, retrying failures with
 * exponential backoff; `push` never waits. When the receiver is slower than the alerts come,
 * the oldest waiting alerts are dropped and the next one delivered says how many.
 */
export class DeliveryQueue {
  private readonly queue: OutgoingAlert[] = [];
  private running = false;
  private stopped = false;
  private retryTimer: unknown;
  private wake: (() => void) | undefined;
  private droppedSinceLast = 0;
  private readonly idleWaiters: (() => void)[] = [];
  /** Alerts the receiver accepted. */
  delivered = 0;
  /** Alerts given up on after their attempts. */
  failed = 0;
  /** Alerts dropped unsent because the queue was full. */
  dropped = 0;

  constructor(
    readonly channel: AlertChannel,
    private readonly options: DeliveryOptions,
  ) {}

  /** Alerts waiting, the one being delivered not included. */
  get length(): number {
    return this.queue.length;
  }

  /** Queues an alert for delivery and returns at once; nothing once stopped. */
  push(alert: OutgoingAlert): void {
    if (this.stopped) return;
    if (this.queue.length >= this.options.maxQueue) {
      this.queue.shift();
      this.dropped += 1;
      this.droppedSinceLast += 1;
      if (this.droppedSinceLast === 1) this.options.onDropped?.();
    }
    this.queue.push(alert);
    void this.pump();
  }

  /** Resolves when nothing is waiting or being delivered. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  /** Abandons every waiting alert and any retry; later pushes are ignored. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.retryTimer !== undefined) this.options.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.wake?.();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        if (this.stopped) break;
        let alert = next;
        if (this.droppedSinceLast > 0) {
          const n = this.droppedSinceLast;
          alert = {
            ...alert,
            message: `(${n} older alert${n === 1 ? '' : 's'} dropped: the receiver was too slow) ${alert.message}`,
          };
          this.droppedSinceLast = 0;
        }
        await this.deliver(alert);
      }
    } finally {
      this.running = false;
      for (const done of this.idleWaiters.splice(0)) done();
    }
  }

  private async deliver(alert: OutgoingAlert): Promise<void> {
    const { maxAttempts, backoff } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.channel.send(alert);
        this.delivered += 1;
        return;
      } catch (thrown) {
        const error =
          thrown instanceof AlertDeliveryError
            ? thrown
            : new AlertDeliveryError(`${this.channel.name}: ${String(thrown)}`, true);
        if (!error.retryable || attempt >= maxAttempts || this.stopped) {
          this.failed += 1;
          this.options.onGaveUp?.(error, attempt);
          return;
        }
        await this.wait(Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1)));
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((done) => {
      this.wake = done;
      this.retryTimer = this.options.timers.setTimeout(() => {
        this.retryTimer = undefined;
        this.wake = undefined;
        done();
      }, ms);
    });
  }
}
