/** Small timing helpers shared by the stages. */

/** Returns a monotonic time in milliseconds (fractional). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Writes a progress line to stderr, so stdout stays a clean table or JSON document. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Runs a full collection when node was started with --expose-gc; a no-op otherwise. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    // Several passes: one pass can leave weak/finalizable objects for the next.
    gc();
    gc();
  }
}

/** Returns true when global.gc is available (heap figures are meaningful only then). */
export function canCollectGarbage(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

/** Returns ticks per second for `ticks` processed in `ms`. */
export function rate(ticks: number, ms: number): number {
  return ms > 0 ? (ticks / ms) * 1000 : 0;
}
