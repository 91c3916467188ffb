import type { JournalEntry, PersistedPositionSnapshot } from './checkpoint.ts';

/** The layout version of the envelope itself (its keys), independent of the machine's version. */
export const SCHEMA_VERSION = 1;

/**
 * What a position's snapshot key holds: the XState persisted snapshot wrapped with what
 * XState does not record — which machine wrote it, how far its journal and its input got.
 */
export interface SnapshotEnvelope {
  readonly schemaVersion: number;
  /** MACHINE_VERSION of the build that wrote `snapshot`. */
  readonly machineVersion: number;
  readonly positionId: string;
  /** The seq of the position's last journal entry committed with this snapshot. */
  readonly seq: number;
  /** Index of the next input tick (replays); ticks before it are reflected in `snapshot`. */
  readonly cursor: number;
  /** Identifies the input `cursor` indexes into (a replay's scenario digest). */
  readonly source: string;
  readonly snapshot: PersistedPositionSnapshot;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Returns the envelope stored as `text`, or the reason it is corrupt (unparsable JSON, a
 * missing or mistyped field). Versions are only type-checked here: whether they can be used
 * is the migrations' call.
 */
export function parseEnvelope(text: string): SnapshotEnvelope | { corrupt: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { corrupt: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isRecord(value)) return { corrupt: 'not a JSON object' };
  for (const key of ['schemaVersion', 'machineVersion', 'seq', 'cursor'] as const) {
    if (!isCount(value[key])) return { corrupt: `${key} is not a non-negative integer` };
  }
  for (const key of ['positionId', 'source'] as const) {
    if (typeof value[key] !== 'string') return { corrupt: `${key} is not a string` };
  }
  const snapshot = value.snapshot;
  if (
    !isRecord(snapshot) ||
    typeof snapshot.status !== 'string' ||
    !isRecord(snapshot.context) ||
    snapshot.value === undefined
  ) {
    return { corrupt: 'snapshot is not an XState persisted snapshot (status, value, context)' };
  }
  return value as unknown as SnapshotEnvelope;
}

/** Returns the journal entry stored as `text`, or the reason it is corrupt. */
export function parseJournalEntry(text: string): JournalEntry | { corrupt: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { corrupt: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isRecord(value)) return { corrupt: 'not a JSON object' };
  if (typeof value.positionId !== 'string') return { corrupt: 'positionId is not a string' };
  if (!isCount(value.seq)) return { corrupt: 'seq is not a non-negative integer' };
  const event = value.event;
  if (!isRecord(event) || typeof event.type !== 'string' || !Number.isSafeInteger(event.ts)) {
    return { corrupt: 'event is not an event line (type, ts)' };
  }
  return value as unknown as JournalEntry;
}
