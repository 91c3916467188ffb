import type { Logger } from 'pino';
import { createBinanceVenue } from './binance/createBinanceVenue.ts';
import { createBybitVenue } from './bybit/createBybitVenue.ts';
import type { Venue } from './port.ts';

/** The config's `venue` block, as far as choosing and pointing an adapter goes. */
export interface VenueChoice {
  /** The ccxt id of the exchange. */
  readonly exchange: 'binanceusdm' | 'bybit';
  readonly url: string | undefined;
  readonly sandbox: boolean;
  readonly apiKey: string;
  readonly secret: string;
}

/** What every adapter is given besides the config's `venue` block. */
export interface VenueExtras {
  /** The engine's client-id prefix (Bybit names a position's stop after it). */
  readonly clientIdPrefix: string;
  readonly logger?: Logger | undefined;
  /** Per-request timeout in milliseconds; default ccxt's. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Returns the adapter for `venue.exchange` (`binanceusdm` or `bybit`) pointed where the block
 * says; throws VenueError `invalid` on options the adapter refuses. Makes no request.
 */
export function createVenue(venue: VenueChoice, extras: VenueExtras): Promise<Venue> {
  const connection = {
    apiKey: venue.apiKey,
    secret: venue.secret,
    url: venue.url,
    sandbox: venue.sandbox,
    logger: extras.logger,
    timeoutMs: extras.timeoutMs,
  };
  switch (venue.exchange) {
    case 'binanceusdm':
      return createBinanceVenue(connection);
    case 'bybit':
      return createBybitVenue({ ...connection, clientIdPrefix: extras.clientIdPrefix });
  }
}
