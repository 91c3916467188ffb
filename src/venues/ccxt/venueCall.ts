import type { Logger } from 'pino';
import type { VenueError } from '../port.ts';

/** Runs one operation of the port, named `op` in the log. */
export type VenueCall = <T>(op: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Returns a runner whose operations reject with `mapError`'s VenueError for any failure, logged
 * under the operation's name: at debug for `notFound` (an answer the engine asks for), at warn
 * for the rest.
 */
export function venueCall(logger: Logger, mapError: (error: unknown) => VenueError): VenueCall {
  return async (op, fn) => {
    try {
      return await fn();
    } catch (e) {
      const error = mapError(e);
      logger[error.kind === 'notFound' ? 'debug' : 'warn'](
        { op, kind: error.kind, code: error.details.code },
        error.message,
      );
      throw error;
    }
  };
}
