/**
 * Resolves with what ended a long-running command: `abort` when `signal` (a test's hook) is
 * aborted, otherwise the first of SIGINT and SIGTERM, whose handlers are then removed.
 */
export function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((done) => {
    if (signal !== undefined) {
      if (signal.aborted) done('abort');
      signal.addEventListener('abort', () => done('abort'), { once: true });
      return;
    }
    const on = (name: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(name);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
