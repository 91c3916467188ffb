/**
 * Returns the final stop of the simplest float trailing stop over `cents` (prices in cents):
 * the physical limit the exact engine is compared with. No rounding, no rules, no exit
 * bookkeeping beyond stopping the loop.
 */
export function floatTrailingStop(cents: Int32Array, initial: number, fraction: number): number {
  let stop = initial;
  let extreme = -Infinity;
  const keep = 1 - fraction;
  for (let i = 0; i < cents.length; i++) {
    const p = (cents[i] as number) / 100;
    if (p <= stop) break;
    if (p > extreme) extreme = p;
    const candidate = extreme * keep;
    if (candidate > stop) stop = candidate;
  }
  return stop;
}
