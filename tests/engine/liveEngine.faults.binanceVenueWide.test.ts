import { describe } from 'vitest';
import { BINANCE_VENUE_FAULTS, testMakeBeforeBreakUnder } from './faultMoves.ts';

// Faults that hit every call and every socket of the venue at once, not one order call.
describe('make-before-break under venue-wide faults (real ccxt against the emulator)', () => {
  testMakeBeforeBreakUnder(BINANCE_VENUE_FAULTS);
});
