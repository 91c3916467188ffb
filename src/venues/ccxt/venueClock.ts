import type { Exchange } from 'ccxt';
import type { Millis } from '../../domain/types.ts';

/** The venue's clock as an adapter estimates it. */
export interface VenueClock {
  /** Returns the venue's time now: the local clock minus the last measured difference. */
  readonly now: () => Millis;
  /** Records the local clock minus the venue's, which the clients also sign requests with. */
  readonly adjust: (difference: number) => void;
}

/** Returns a clock level with the local one until adjusted, that keeps `clients` signing by it. */
export function venueClock(clients: readonly Exchange[]): VenueClock {
  let timeDifference = 0;
  return {
    now: () => Date.now() - timeDifference,
    adjust: (difference) => {
      timeDifference = difference;
      for (const client of clients) client.options['timeDifference'] = difference;
    },
  };
}
