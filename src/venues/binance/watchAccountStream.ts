import type { Logger } from 'pino';
import type { Millis } from '../../domain/types.ts';
import { watchAccountLoops } from '../ccxt/watchAccountLoops.ts';
import type { AccountEvent, VenueError } from '../port.ts';
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

const USER_STREAM = 'listenKey=';

/**
 * Feeds `listener` from ccxt's position messages (every one: see PositionUpdates) and `watchOrders` (one user-data socket) until
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
  const { client, venueNow } = deps;
  return watchAccountLoops(
    {
      client,
      socketUrl: USER_STREAM,
      name: 'user-data',
      attach: (check) => {
        const onSocketOpened = (url: string): void => {
          if (url.includes(USER_STREAM)) check();
        };
        client.socketOpened.add(onSocketOpened);
        return () => client.socketOpened.delete(onSocketOpened);
      },
      positions: {
        watch: () => client.nextPositions(),
        toEvent: (p) => {
          const ts = p.timestamp ?? venueNow();
          const position = positionFromStream(p.info as Record<string, unknown>, ts);
          return position === undefined ? undefined : { type: 'position', position, ts };
        },
      },
      orders: {
        watch: () => client.watchOrders(),
        toEvent: (o) => {
          const ts = o.lastUpdateTimestamp ?? o.timestamp ?? venueNow();
          const order = stopFromStream(o.info as Record<string, unknown>, ts);
          return order === undefined ? undefined : { type: 'stop', order, ts };
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
