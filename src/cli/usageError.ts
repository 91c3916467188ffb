/** A mistake the user can fix on the command line: printed as one paragraph, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
