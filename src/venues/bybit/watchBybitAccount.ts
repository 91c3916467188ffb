import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import { watchAccountLoops } from '../ccxt/watchAccountLoops.ts';
import type { AccountEvent, VenueError } from '../port.ts';
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

const PRIVATE_STREAM = '/v5/private';

/**
 * Feeds `listener` from ccxt's position messages (every one: see PositionUpdates) and `watchOrders` (the `position` and `order`
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
  const { client, venueNow } = deps;
  // Topics Bybit confirmed on the current private socket: a change reaches us only after that.
  const confirmed = new Set<string>();
  return watchAccountLoops(
    {
      client,
      socketUrl: PRIVATE_STREAM,
      name: 'private',
      confirmed: () => confirmed.has('position') && confirmed.has('order'),
      attach: (check) => {
        const onSocketOpened = (url: string): void => {
          if (url.includes(PRIVATE_STREAM)) confirmed.clear();
        };
        const onSubscribed = (url: string, topics: readonly string[]): void => {
          if (!url.includes(PRIVATE_STREAM)) return;
          for (const t of topics) confirmed.add(t);
          check();
        };
        client.socketOpened.add(onSocketOpened);
        client.subscribed.add(onSubscribed);
        return () => {
          client.socketOpened.delete(onSocketOpened);
          client.subscribed.delete(onSubscribed);
        };
      },
      positions: {
        watch: () => client.nextPositions(),
        toEvent: (p) => {
          const position = positionFromRow(p.info as RawRecord);
          if (position === undefined) return undefined;
          const ts = p.lastUpdateTimestamp ?? p.timestamp ?? venueNow();
          if ('closed' in position) deps.positionClosed(position.symbol);
          return { type: 'position', position, ts };
        },
      },
      orders: {
        watch: () => client.watchOrders(),
        toEvent: (o) => {
          const raw = o.info as RawRecord;
          const symbol = typeof raw['symbol'] === 'string' ? raw['symbol'] : '';
          const order = stopFromOrderRow(raw, deps.stopClientId(symbol));
          return order === undefined
            ? undefined
            : { type: 'stop', order, ts: order.updatedAt || venueNow() };
        },
      },
      venueNow,
      toVenueError: deps.toVenueError,
      logger: deps.logger,
    },
    listener,
    onError,
  );
}
