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

/** Pauses between failed attempts that fail before a socket opens (e.g. the listen key request). */
const BACKOFF_MS = [0, 250, 500, 1000, 2000, 5000, 10_000, 30_000] as const;

/**
 * Feeds `listener` from ccxt's `watchPositions` and `watchOrders` (one user-data socket) until
 * the returned function is called. After a dropped socket the loops call again (ccxt redials);
 * once the user-data socket is open again, `reconnected` is reported, so the engine reconciles
 * over REST only when no later event can be missed. A failure that is not transient ends both
 * loops and goes to `onError`, once.
 */
export function watchAccountStream(
  deps: AccountStreamDeps,
  listener: (event: AccountEvent) => void,
  onError: (error: VenueError) => void,
): () => void {
  const { client, logger } = deps;
  let stopped = false;
  let gap = false;
  let failures = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const onSocketOpened = (url: string): void => {
    if (stopped || !url.includes('listenKey=')) return;
    failures = 0;
    if (!gap) return;
    gap = false;
    logger.info('user-data stream reconnected');
    listener({ type: 'reconnected', ts: deps.venueNow() });
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

  const loop = async (name: string, next: () => Promise<void>): Promise<void> => {
    while (!stopped) {
      try {
        await next();
        failures = 0;
      } catch (e) {
        if (stopped) return;
        const error = deps.toVenueError(e);
        if (!TRANSIENT.has(error.kind)) {
          logger.error(
            { kind: error.kind, code: error.details.code },
            `${name} ended: ${error.message}`,
          );
          stop();
          onError(error);
          return;
        }
        gap = true;
        const wait =
          error.details.retryAfterMs ?? BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 0;
        failures += 1;
        logger.warn({ kind: error.kind, waitMs: wait }, `${name} interrupted: ${error.message}`);
        await pause(wait);
      }
    }
  };

  void loop('position stream', async () => {
    const positions = await client.watchPositions();
    if (stopped) return;
    for (const p of positions) {
      const ts = p.timestamp ?? deps.venueNow();
      const position = positionFromStream(p.info as Record<string, unknown>, ts);
      if (position !== undefined) listener({ type: 'position', position, ts });
    }
  });
  void loop('order stream', async () => {
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
