import ccxt from 'ccxt';
import { VenueError, type VenueErrorKind } from '../port.ts';

/** A ccxt error class and the kind of the failures it stands for. */
export type ClassKind = readonly [abstract new (...args: never[]) => Error, VenueErrorKind];

/** Order matters: a subclass before its parent (RequestTimeout and friends extend NetworkError). */
const BY_CLASS: readonly ClassKind[] = [
  [ccxt.RateLimitExceeded, 'rateLimited'],
  [ccxt.DDoSProtection, 'rateLimited'],
  [ccxt.InvalidNonce, 'clockSkew'],
  [ccxt.ExchangeNotAvailable, 'retryable'],
  [ccxt.RequestTimeout, 'unknownOutcome'],
  [ccxt.NetworkError, 'unknownOutcome'],
  [ccxt.BadResponse, 'unknownOutcome'],
  [ccxt.OperationFailed, 'retryable'],
  [ccxt.AuthenticationError, 'auth'],
  [ccxt.OrderNotFound, 'notFound'],
  [ccxt.InsufficientFunds, 'insufficientFunds'],
  [ccxt.InvalidOrder, 'invalid'],
  [ccxt.BadRequest, 'invalid'],
  [ccxt.ArgumentsRequired, 'invalid'],
  [ccxt.NotSupported, 'invalid'],
];

/** What one exchange adds to the reading of a failed ccxt call. */
export interface VenueErrorRules {
  /** Returns the exchange's own error code in a ccxt message, if any. */
  readonly codeOf: (message: string) => string | undefined;
  /** Returns how long the exchange asked us to wait, when the failure says. */
  readonly retryAfterMs: (error: unknown) => number | undefined;
  /** Returns the kind of a failure the exchange's codes would misread, or undefined. */
  readonly first: (
    error: unknown,
    message: string,
    code: string | undefined,
  ) => VenueErrorKind | undefined;
  /** The exchange's codes, which decide before ccxt's class. */
  readonly byCode: Readonly<Record<string, VenueErrorKind>>;
  /** ccxt classes only this exchange raises with a meaning of their own; tried first. */
  readonly byClass?: readonly ClassKind[];
}

/**
 * Returns the VenueError for a failed ccxt call, its message passed through `redact` so no
 * credential reaches a log: a VenueError passes through unchanged; otherwise `rules.first`, then
 * the exchange's code, then ccxt's class decide, and `exchange` is the kind of what none knows.
 */
export function toCcxtVenueError(
  error: unknown,
  redact: (text: string) => string,
  rules: VenueErrorRules,
): VenueError {
  if (error instanceof VenueError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw);
  const code = rules.codeOf(raw);
  const retryAfter = rules.retryAfterMs(error);
  const details = {
    ...(code === undefined ? {} : { code }),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  };
  const first = rules.first(error, raw, code);
  if (first !== undefined) return new VenueError(first, message, details);
  const byCode = code === undefined ? undefined : rules.byCode[code];
  if (byCode !== undefined) return new VenueError(byCode, message, details);
  for (const [type, kind] of [...(rules.byClass ?? []), ...BY_CLASS])
    if (error instanceof type) return new VenueError(kind, message, details);
  return new VenueError('exchange', message, details);
}
