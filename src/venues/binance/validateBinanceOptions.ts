import { validateConnection } from '../ccxt/validateConnection.ts';
import type { BinanceConnection } from './binanceUsdmClient.ts';

/**
 * Throws VenueError `invalid` with one paragraph naming the first bad option and what is
 * allowed; returns normally when the options can reach an exchange.
 */
export function validateBinanceOptions(options: BinanceConnection): void {
  validateConnection(options, 'Binance');
}
