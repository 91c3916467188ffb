import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import type { AccountEvent, VenueError, VenueErrorKind } from '../port.ts';
import type { BybitClient } from './bybitClient.ts';
import { positionFromRow, stopFromOrderRow, type RawRecord } from './bybitWire.ts';

/** What the stream needs besides the client. */
export interface BybitAccountDeps {
  readonly client: BybitClient;
  /** The venue's clock as the adapter estimates it. */
  readonly venueNow: () => Millis;
  readonly toVenueError: (error: unknown) => VenueError;
  /** Returns the client id the adapter reports for the stop of `symbol`. */
  readonly stopClientId: (symbol: string) => string;
  /** Told when the stream shows a position flat (its stop is gone with it). */
  readonly positionClosed: (symbol: string) => void;
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

const PRIVATE_STREAM = '/v5/private';

/**
 * Feeds `listener` from ccxt's `watchPositions` and `watchOrders` (the `position` and `order`
 * topics of one authenticated private socket) until the returned function is called. Position
 * rows become `position` events; the `StopLoss` conditional order of a position's stop becomes
 * `stop` events (fired, cleared); other orders are not reported. `reconnected` is reported
 * whenever the private socket is open, both loops listen and Bybit has confirmed both topics on
 * that socket, after a gap — the first start,
 * a dropped socket (the loops call again and ccxt redials and re-authenticates), a loop's failed
 * call — so the engine reconciles over REST knowing no later change can be missed. A failure that
 * is not transient (a refused key) ends both loops and goes to `onError`, once.
 */
export function watchBybitAccount(
  deps: BybitAccountDeps,
  listener: (event: AccountEvent) => void,
  onError: (error: VenueError) => void,
): () => void {
  const { client, logger } = deps;
  let stopped = false;
  // The start counts as a gap too: changes before it reached no one.
  let gap = true;
  const listening = { positions: false, orders: false };
  // Topics Bybit confirmed on the current private socket: a change reaches us only after that.
  const confirmed = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const privateOpen = (): boolean =>
    Object.values(client.clients).some(
      (c) =>
        (c as { url?: string }).url?.includes(PRIVATE_STREAM) === true && c.isConnected === true,
    );

  const reportIfBack = (): void => {
    if (stopped || !gap || !listening.positions || !listening.orders || !privateOpen()) return;
    if (!confirmed.has('position') || !confirmed.has('order')) return;
    gap = false;
    logger.info('private stream open');
    listener({ type: 'reconnected', ts: deps.venueNow() });
  };
  const onSocketOpened = (url: string): void => {
    if (url.includes(PRIVATE_STREAM)) confirmed.clear();
  };
  const onSubscribed = (url: string, topics: readonly string[]): void => {
    if (!url.includes(PRIVATE_STREAM)) return;
    for (const t of topics) confirmed.add(t);
    reportIfBack();
  };
  client.socketOpened.add(onSocketOpened);
  client.subscribed.add(onSubscribed);

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    client.socketOpened.delete(onSocketOpened);
    client.subscribed.delete(onSubscribed);
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
      const raw = p.info as RawRecord;
      const position = positionFromRow(raw);
      if (position === undefined) continue;
      const ts = p.lastUpdateTimestamp ?? p.timestamp ?? deps.venueNow();
      if ('closed' in position) deps.positionClosed(position.symbol);
      listener({ type: 'position', position, ts });
    }
  });
  void loop('orders', async () => {
    const orders = await client.watchOrders();
    if (stopped) return;
    for (const o of orders) {
      const raw = o.info as RawRecord;
      const symbol = typeof raw['symbol'] === 'string' ? raw['symbol'] : '';
      const order = stopFromOrderRow(raw, deps.stopClientId(symbol));
      if (order === undefined) continue;
      listener({ type: 'stop', order, ts: order.updatedAt || deps.venueNow() });
    }
  });
  return stop;
}
