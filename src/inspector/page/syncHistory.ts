import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { SyncStep } from '../protocol.ts';

// Order-sync steps carry `at`, the position step that was the latest when they happened, and
// arrive in order, so `at` never decreases along a history: a step is found by binary search.

/** Returns the index of the last sync step whose `at` ≤ `seq`, or −1 when none is. */
function lastIndexAt(steps: readonly SyncStep[], seq: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid]?.at ?? Number.POSITIVE_INFINITY) <= seq) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Returns the order-sync step in force at position step `seq`: the last one at or before it. */
export function syncStepAt(steps: readonly SyncStep[], seq: number): SyncStep | undefined {
  return steps[lastIndexAt(steps, seq)];
}

/** Returns the order-sync steps that happened during position step `seq` (before the next one). */
export function syncStepsDuring(steps: readonly SyncStep[], seq: number): SyncStep[] {
  const out: SyncStep[] = [];
  for (let i = lastIndexAt(steps, seq); i >= 0 && steps[i]?.at === seq; i--) {
    const step = steps[i];
    if (step !== undefined) out.unshift(step);
  }
  return out;
}

/**
 * Returns, for each position record, the stop resting on the exchange as of that step (null
 * before the first stop rests, or while none does), as numbers for the chart.
 */
export function restingSeries(
  records: readonly InspectionRecord[],
  steps: readonly SyncStep[],
): (number | null)[] {
  const out: (number | null)[] = [];
  let i = 0;
  let resting: number | null = null;
  for (const record of records) {
    while (i < steps.length && (steps[i]?.at ?? Number.POSITIVE_INFINITY) <= record.seq) {
      const stop = steps[i]?.restingStop ?? null;
      resting = stop === null ? null : Number(stop);
      i++;
    }
    out.push(resting);
  }
  return out;
}
