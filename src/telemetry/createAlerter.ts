import {
  telegramChannel,
  webhookChannel,
  type AlertChannel,
  type TelegramConfig,
} from './alertChannels.ts';
import { AlertThrottle, type Alert, type OutgoingAlert } from './alertThrottle.ts';
import { DeliveryQueue, REAL_TIMERS, type AlertTimers } from './deliveryQueue.ts';
import { createScrubber } from './secretScrubber.ts';

/** The logger an alerter reports undeliverable alerts to (a pino logger fits). */
export interface AlertLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

/** Options of {@link createAlerter}. */
export interface AlerterOptions {
  /** POST `{ key, severity, message, ts }` as JSON here. */
  readonly webhook?: { readonly url: string } | undefined;
  /** Send through the Telegram Bot API. */
  readonly telegram?: TelegramConfig | undefined;
  /** Further channels, besides (or instead of) those two. */
  readonly channels?: readonly AlertChannel[] | undefined;
  /** Repeats of one key within this are summarised, not sent. Default 300 (5 min). */
  readonly minIntervalSeconds?: number | undefined;
  /** Alerts waiting per channel before the oldest are dropped. Default 100. */
  readonly maxQueue?: number | undefined;
  /** Attempts per alert and channel. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** Wait after the first failure, doubled after each next one, capped. Default 1 s to 60 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number } | undefined;
  /** A receiver slower than this counts as failed. Default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Keys tracked for rate limiting at most. Default 1000. */
  readonly maxKeys?: number | undefined;
  /** Default Date.now. */
  readonly clock?: (() => number) | undefined;
  /** Default the real ones, never keeping the process alive. */
  readonly timers?: AlertTimers | undefined;
  /** Hears about alerts that could not be delivered. */
  readonly logger?: AlertLogger | undefined;
  /** Applied to every message before it leaves; default scrubs the bot token and secret-shaped text. */
  readonly scrub?: ((text: string) => string) | undefined;
}

/** What an alerter has done so far, summed over its channels. */
export interface AlerterStats {
  /** Repeats counted into a summary instead of sent. */
  readonly suppressed: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
  /** Alerts waiting for delivery now. */
  readonly queued: number;
}

/** Raises alerts without ever waiting for their delivery. */
export interface Alerter {
  /** Deduplicates, rate-limits and queues the alert for every channel; returns at once. */
  alert(alert: Alert): void;
  /** Resolves when no channel has an alert waiting or in delivery (summaries not yet due aside). */
  idle(): Promise<void>;
  /**
   * Sends the pending summaries, refuses later alerts, and resolves once everything is
   * delivered or `graceMs` (default 5000) has passed, abandoning what is left.
   */
  close(graceMs?: number): Promise<void>;
  stats(): AlerterStats;
}

const DEFAULTS = {
  minIntervalSeconds: 300,
  maxQueue: 100,
  maxAttempts: 5,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  maxKeys: 1000,
} as const;

/**
 * Returns an alerter delivering to a webhook, Telegram and any further channels: each key's
 * first alert goes out at once, its repeats within `minIntervalSeconds` become one summary
 * ("N more in the last M min") at the end of the interval, each channel has its own bounded
 * queue (a slow one delays no other) and retries with exponential backoff. Delivery failures
 * are logged by channel name and status only, never by URL or token.
 */
export function createAlerter(options: AlerterOptions = {}): Alerter {
  const clock = options.clock ?? Date.now;
  const timers = options.timers ?? REAL_TIMERS;
  const scrub = options.scrub ?? createScrubber([options.telegram?.botToken]);
  const http = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const channels: AlertChannel[] = [
    ...(options.webhook === undefined ? [] : [webhookChannel(options.webhook, http)]),
    ...(options.telegram === undefined ? [] : [telegramChannel(options.telegram, http)]),
    ...(options.channels ?? []),
  ];
  const queues = channels.map(
    (channel) =>
      new DeliveryQueue(channel, {
        maxQueue: options.maxQueue ?? DEFAULTS.maxQueue,
        maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
        backoff: options.backoff ?? DEFAULTS.backoff,
        timers,
        onGaveUp: (error, attempts) =>
          options.logger?.warn(
            { channel: channel.name, attempts, err: scrub(error.message) },
            'alert not delivered',
          ),
        onDropped: () =>
          options.logger?.warn(
            { channel: channel.name },
            'alert receiver too slow: dropping the oldest waiting alerts',
          ),
      }),
  );
  const throttle = new AlertThrottle(
    (options.minIntervalSeconds ?? DEFAULTS.minIntervalSeconds) * 1000,
    options.maxKeys ?? DEFAULTS.maxKeys,
  );
  let suppressed = 0;
  let closed = false;
  let summaryTimer: unknown;
  let summaryAt: number | undefined;

  const send = (alerts: readonly OutgoingAlert[]) => {
    for (const a of alerts) {
      const clean = { ...a, message: scrub(a.message) };
      for (const q of queues) q.push(clean);
    }
  };
  const schedule = () => {
    const next = throttle.nextDueAt();
    if (next === summaryAt) return;
    if (summaryTimer !== undefined) timers.clearTimeout(summaryTimer);
    summaryTimer = undefined;
    summaryAt = next;
    if (next === undefined || closed) return;
    summaryTimer = timers.setTimeout(
      () => {
        summaryTimer = undefined;
        summaryAt = undefined;
        send(throttle.due(clock()));
        schedule();
      },
      Math.max(0, next - clock()),
    );
  };

  return {
    alert: (alert) => {
      if (closed) return;
      const out = throttle.offer(alert, clock());
      if (out.length === 0) suppressed += 1;
      send(out);
      schedule();
    },
    idle: async () => {
      await Promise.all(queues.map((q) => q.idle()));
    },
    close: async (graceMs = 5000) => {
      if (closed) return;
      closed = true;
      if (summaryTimer !== undefined) timers.clearTimeout(summaryTimer);
      send(throttle.flush(clock()));
      let grace: unknown;
      await Promise.race([
        Promise.all(queues.map((q) => q.idle())),
        new Promise<void>((done) => {
          grace = timers.setTimeout(done, graceMs);
        }),
      ]);
      timers.clearTimeout(grace);
      for (const q of queues) q.stop();
    },
    stats: () => ({
      suppressed,
      delivered: queues.reduce((n, q) => n + q.delivered, 0),
      failed: queues.reduce((n, q) => n + q.failed, 0),
      dropped: queues.reduce((n, q) => n + q.dropped, 0),
      queued: queues.reduce((n, q) => n + q.length, 0),
    }),
  };
}
