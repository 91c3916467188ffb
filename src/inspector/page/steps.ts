import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';

// A history held by the page starts at the oldest record the server still keeps, not at seq 0,
// so a step is found by its seq relative to the first record held.

/** Returns the record of step `seq`, or undefined when that step is not held. */
export function recordAt(
  records: readonly InspectionRecord[],
  seq: number,
): InspectionRecord | undefined {
  const first = records[0];
  return first === undefined || !Number.isInteger(seq) ? undefined : records[seq - first.seq];
}

/** Returns the seq of the oldest record held (0 when none is). */
export function firstSeq(records: readonly InspectionRecord[]): number {
  return records[0]?.seq ?? 0;
}

/** Returns the seq of the newest record held (−1 when none is). */
export function lastSeq(records: readonly InspectionRecord[]): number {
  return records.at(-1)?.seq ?? -1;
}
