import { describe } from 'vitest';
import { BINANCE_ORDER_FAULTS, testMakeBeforeBreakUnder } from './faultMoves.ts';

// The two order calls of a Binance move, the create and the cancel, failing or losing their answer.
describe('make-before-break when a create or cancel fails (real ccxt against the emulator)', () => {
  testMakeBeforeBreakUnder(BINANCE_ORDER_FAULTS);
});
