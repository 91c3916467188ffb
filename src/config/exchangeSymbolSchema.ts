import { z } from 'zod';
import { refuse, type RefusalParams } from './issues.ts';

// Binance and Bybit ids: BTCUSDT, 1000PEPEUSDT, BTCUSDT_250328, BTC-27DEC24.
const SYMBOL = /^[A-Z0-9]+(?:[_-][A-Z0-9]+)*$/;
const MAX_LENGTH = 32;

/** What an exchange symbol id must be, as messages say it. */
const SYMBOL_ALLOWED = "the exchange's own market id in capitals, e.g. BTCUSDT";

/** Returns the id a slip most likely meant: capitals, and ccxt's unified `BTC/USDT:USDT` as `BTCUSDT`. */
function likelyId(text: string): string | undefined {
  const guess = (text.split(':')[0] ?? '').replace('/', '').toUpperCase();
  return guess !== text && SYMBOL.test(guess) ? guess : undefined;
}

/**
 * Returns why `text` is not an exchange market id (suggesting the id it most likely meant), or
 * undefined when it is one.
 */
export function symbolProblem(text: string): RefusalParams | undefined {
  if (text.length <= MAX_LENGTH && SYMBOL.test(text)) return undefined;
  const guess = likelyId(text);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return {
    problem: `is not an exchange symbol id${hint}; allowed: ${SYMBOL_ALLOWED}`,
    allowed: SYMBOL_ALLOWED,
  };
}

/** Schema of one exchange market id (`BTCUSDT`); ccxt's unified symbols and lower case are refused. */
const exchangeSymbolSchema = z.unknown().transform((input, ctx): string => {
  if (typeof input !== 'string') {
    refuse(ctx, input, {
      problem: input === undefined ? 'is required' : `is not a string; allowed: ${SYMBOL_ALLOWED}`,
      allowed: SYMBOL_ALLOWED,
    });
    return z.NEVER;
  }
  const problem = symbolProblem(input);
  if (problem !== undefined) {
    refuse(ctx, input, problem);
    return z.NEVER;
  }
  return input;
});

/** Schema of `symbols`: a non-empty list of distinct exchange market ids. */
export const symbolsSchema = z
  .array(exchangeSymbolSchema)
  .transform((symbols, ctx): readonly string[] => {
    if (symbols.length === 0) {
      refuse(ctx, symbols, {
        problem:
          'lists no symbol, so no position would be protected; list at least one, or leave symbols out to protect every position on the account',
        allowed: 'a non-empty list of symbol ids, or no symbols key',
        value: '[]',
      });
      return z.NEVER;
    }
    symbols.forEach((symbol, i) => {
      const first = symbols.indexOf(symbol);
      if (first !== i) {
        refuse(
          ctx,
          symbol,
          {
            problem: `is listed twice (also at symbols[${first}]); allowed: each symbol once`,
            allowed: 'each symbol once',
          },
          [i],
        );
      }
    });
    return ctx.issues.length > 0 ? z.NEVER : symbols;
  });
