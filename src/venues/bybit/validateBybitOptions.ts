import { validateConnection } from '../ccxt/validateConnection.ts';
import type { BybitConnection } from './bybitClient.ts';

/**
 * Throws VenueError `invalid` with one paragraph naming the first bad option and what is
 * allowed; returns normally when the options can reach an exchange.
 */
export function validateBybitOptions(
  options: BybitConnection & { readonly clientIdPrefix: string },
): void {
  validateConnection(options, 'Bybit', (bad) => {
    if (!/^[A-Za-z0-9_]{1,16}$/.test(options.clientIdPrefix))
      bad(
        `The Bybit venue's client-id prefix "${options.clientIdPrefix}" is not one Bybit accepts in an orderLinkId: use 1 to 16 letters, digits or underscores.`,
      );
  });
}
