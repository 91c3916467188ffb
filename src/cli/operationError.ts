/**
 * A failure of the outside world a user can act on (the venue cannot be reached, it refused the
 * key): the CLI prints its paragraph without a stack trace and exits 1. Bad input is a
 * UsageError or ConfigError instead (exit 2).
 */
export class OperationError extends Error {
  override readonly name = 'OperationError';
}
