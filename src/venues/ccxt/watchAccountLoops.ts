import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import type { AccountEvent, VenueError, VenueErrorKind } from '../port.ts';

/** Failures that pass: the stream redials. Anything else (a refused key…) ends it. */
const TRANSIENT: ReadonlySet<VenueErrorKind> = new Set([
  'retryable',
  'rateLimited',
  'unknownOutcome',
  'clockSkew',
]);

/**
 * Pauses between one loop's consecutive failures. The first retry is immediate: after a dropped
 * socket both loops must be listening again before the stream reopens, or changes are lost.
 */
const BACKOFF_MS = [0, 250, 500, 1000, 2000, 5000, 10_000, 30_000] as const;

/** One of the two loops: a ccxt watch call, and the event each item of its answer reports. */
export interface AccountLoop<T> {
  readonly watch: () => Promise<readonly T[]>;
  /** Returns the event for one item, or undefined when the item reports nothing. */
  readonly toEvent: (item: T) => AccountEvent | undefined;
}

/** What the two loops of one account stream need. */
export interface AccountLoopsOptions<P, O> {
  /** The ccxt client whose sockets are watched. */
  readonly client: {
    readonly clients: Readonly<Record<string, { readonly url?: string; isConnected: unknown }>>;
  };
  /** A part of the account socket's URL that no other socket of the client has. */
  readonly socketUrl: string;
  /** The stream's name in log lines (`<name> stream open`). */
  readonly name: string;
  /** Returns whether the exchange confirmed what it must before changes reach the socket. */
  readonly confirmed?: () => boolean;
  /**
   * Hooks the client's socket events that may end a gap, calling `check` on each; returns the
   * function that unhooks them.
   */
  readonly attach: (check: () => void) => () => void;
  readonly positions: AccountLoop<P>;
  readonly orders: AccountLoop<O>;
  /** The venue's clock as the adapter estimates it. */
  readonly venueNow: () => Millis;
  readonly toVenueError: (error: unknown) => VenueError;
  readonly logger: Logger;
}

/**
 * Feeds `listener` from a position loop and an order loop over one account socket until the
 * returned function is called. `reconnected` is reported whenever that socket is open, both loops
 * listen and `confirmed` holds, after a gap — the first start, a dropped socket (the loops call
 * again and ccxt redials), a loop's failed call — so the engine reconciles over REST knowing that
 * no later change can be missed. A failure that is not transient ends both loops and goes to
 * `onError`, once.
 */
export function watchAccountLoops<P, O>(
  options: AccountLoopsOptions<P, O>,
  listener: (event: AccountEvent) => void,
  onError: (error: VenueError) => void,
): () => void {
  const { client, logger } = options;
  let stopped = false;
  // The start counts as a gap too: changes before it reached no one.
  let gap = true;
  const listening = { positions: false, orders: false };
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const socketOpen = (): boolean =>
    Object.values(client.clients).some(
      (c) => c.url?.includes(options.socketUrl) === true && c.isConnected === true,
    );

  const reportIfBack = (): void => {
    if (stopped || !gap || !listening.positions || !listening.orders || !socketOpen()) return;
    if (options.confirmed !== undefined && !options.confirmed()) return;
    gap = false;
    logger.info(`${options.name} stream open`);
    listener({ type: 'reconnected', ts: options.venueNow() });
  };
  const detach = options.attach(reportIfBack);

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    detach();
  };

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const loop = async <T>(name: keyof typeof listening, source: AccountLoop<T>): Promise<void> => {
    const next = async (): Promise<void> => {
      const items = await source.watch();
      if (stopped) return;
      for (const item of items) {
        const event = source.toEvent(item);
        if (event !== undefined) listener(event);
      }
    };
    let failures = 0;
    while (!stopped) {
      try {
        const pending = next();
        listening[name] = true;
        reportIfBack();
        await pending;
        failures = 0;
      } catch (e) {
        listening[name] = false;
        if (stopped) return;
        const error = options.toVenueError(e);
        if (!TRANSIENT.has(error.kind)) {
          logger.error(
            { kind: error.kind, code: error.details.code },
            `${name} stream ended: ${error.message}`,
          );
          stop();
          onError(error);
          return;
        }
        gap = true;
        const wait =
          error.details.retryAfterMs ?? BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 0;
        failures += 1;
        logger.warn(
          { kind: error.kind, waitMs: wait },
          `${name} stream interrupted: ${error.message}`,
        );
        await pause(wait);
      }
    }
  };

  void loop('positions', options.positions);
  void loop('orders', options.orders);
  return stop;
}
