import type { Exchange } from 'ccxt';
import type { Logger } from 'pino';
import { createLogger } from '../../telemetry/logger.ts';
import type { VenueError } from '../port.ts';
import { accountStreams, type AccountStreams } from './accountStreams.ts';
import { redactCredentials } from './redactCredentials.ts';
import { venueCall, type VenueCall } from './venueCall.ts';
import { venueClock, type VenueClock } from './venueClock.ts';

/** What every ccxt adapter is built from. */
export interface AdapterKit<C extends Exchange> {
  readonly logger: Logger;
  /** The client that reads: markets, account state, streams. */
  readonly client: C;
  /**
   * The client that writes. Each ccxt instance queues its calls behind its own throttle, so an
   * exit never waits behind a reconciliation read.
   */
  readonly orders: C;
  /** Returns the VenueError for a failure, with no credential in its message. */
  readonly mapError: (error: unknown) => VenueError;
  readonly call: VenueCall;
  readonly streams: AccountStreams;
  /** Adjusted by fetchTime; both clients sign by it. */
  readonly clock: VenueClock;
}

/**
 * Returns the kit of an adapter: `options.logger` or a `component` logger, a reading and a
 * writing client from `createClient`, and errors read by `toError` with the options' key and
 * secret redacted. Makes no request.
 */
export async function adapterKit<C extends Exchange>(
  options: {
    readonly apiKey: string;
    readonly secret: string;
    readonly logger?: Logger | undefined;
  },
  component: string,
  createClient: () => Promise<C>,
  toError: (error: unknown, redact: (text: string) => string) => VenueError,
): Promise<AdapterKit<C>> {
  const logger = options.logger ?? createLogger(component);
  const client = await createClient();
  const orders = await createClient();
  const redact = redactCredentials([options.apiKey, options.secret]);
  const mapError = (e: unknown): VenueError => toError(e, redact);
  return {
    logger,
    client,
    orders,
    mapError,
    call: venueCall(logger, mapError),
    streams: accountStreams(),
    clock: venueClock([client, orders]),
  };
}
