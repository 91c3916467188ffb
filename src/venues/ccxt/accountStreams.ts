import type { VenueError } from '../port.ts';

/** The account streams a venue has open, so that closing the venue ends them all. */
export interface AccountStreams {
  /**
   * Returns the unsubscribe of the stream `start` opens (given the error handler that forgets
   * it), kept until unsubscribed or ended by an error.
   */
  readonly open: (
    start: (onError: (error: VenueError) => void) => () => void,
    onError: (error: VenueError) => void,
  ) => () => void;
  /** Unsubscribes every open stream. */
  readonly closeAll: () => void;
}

/** Returns an empty set of account streams. */
export function accountStreams(): AccountStreams {
  const streams = new Set<() => void>();
  return {
    open: (start, onError) => {
      const unsubscribe = (): void => {
        streams.delete(unsubscribe);
        stop();
      };
      const stop = start((error) => {
        streams.delete(unsubscribe);
        onError(error);
      });
      streams.add(unsubscribe);
      return unsubscribe;
    },
    closeAll: () => {
      for (const stop of [...streams]) stop();
    },
  };
}
