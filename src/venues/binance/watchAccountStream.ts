import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import type { AccountEvent, VenueError, VenueErrorKind } from '../port.ts';
import type { BinanceUsdmClient } from './binanceUsdmClient.ts';
import { positionFromStream, stopFromStream } from './binanceWire.ts';

/** What the stream needs besides the client. */
export interface AccountStreamDeps {
  readonly client: BinanceUsdmClient;
  /** The venue's clock as the adapter estimates it. */
  readonly venueNow: () => Millis;
  readonly toVenueError: (error: unknown) => VenueError;
  readonly logger: Logger;
}

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

const USER_STREAM = 'listenKey=';

/**
 * Feeds `listener` from ccxt's `watchPositions` and `watchOrders` (one user-data socket) until
 * the returned function is called. `reconnected` is reported whenever the user-data socket is
 * open with both loops listening after a gap — the first start, a dropped socket (the loops call
 * again and ccxt redials), a loop's failed call — so the engine reconciles over REST knowing that
 * no later change can be missed. A failure that is not transient ends both loops and goes to
 * `onError`, once.
 */
export function watchAccountStream(
  deps: AccountStreamDeps,
  listener: (event: AccountEvent) => void,
  onError: (error: VenueError) => void,
): () => void {
  const { client, logger } = deps;
  let stopped = false;
  // The start counts as a gap too: changes before it reached no one.
  let gap = true;
  const listening = { positions: false, orders: false };
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const userStreamOpen = (): boolean =>
    Object.values(client.clients).some(
      (c) => (c as { url?: string }).url?.includes(USER_STREAM) === true && c.isConnected === true,
    );

  const reportIfBack = (): void => {
    if (stopped || !gap || !listening.positions || !listening.orders || !userStreamOpen()) return;
    gap = false;
    logger.info('user-data stream open');
    listener({ type: 'reconnected', ts: deps.venueNow() });
  };
  const onSocketOpened = (url: string): void => {
    if (url.includes(USER_STREAM)) reportIfBack();
  };
  client.socketOpened.add(onSocketOpened);

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    client.socketOpened.delete(onSocketOpened);
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

  const loop = async (name: keyof typeof listening, next: () => Promise<void>): Promise<void> => {
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
        const error = deps.toVenueError(e);
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

  void loop('positions', async () => {
    const positions = await client.watchPositions();
    if (stopped) return;
    for (const p of positions) {
      const ts = p.timestamp ?? deps.venueNow();
      const position = positionFromStream(p.info as Record<string, unknown>, ts);
      if (position !== undefined) listener({ type: 'position', position, ts });
    }
  });
  void loop('orders', async () => {
    const orders = await client.watchOrders();
    if (stopped) return;
    for (const o of orders) {
      const ts = o.lastUpdateTimestamp ?? o.timestamp ?? deps.venueNow();
      const order = stopFromStream(o.info as Record<string, unknown>, ts);
      if (order !== undefined) listener({ type: 'stop', order, ts });
    }
  });
  return stop;
}
