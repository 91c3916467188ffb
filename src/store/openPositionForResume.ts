import type { ResumePoint } from './checkpoint.ts';
import { corruptMessage, type PositionStore } from './positionStore.ts';
import { SnapshotRestoreError } from './restorePosition.ts';
import { CorruptEntryError } from './storeErrors.ts';

/** Why a store will not let a position start or continue. */
export type ResumeRefusal =
  /** Its snapshot is gone (moved aside as corrupt) but its decisions are journaled: a new start would journal them twice. */
  | { readonly why: 'orphanJournal'; readonly count: number; readonly lastSeq: number }
  /** Its snapshot was saved from another input (another source, or a cursor past its end). */
  | { readonly why: 'otherSource'; readonly cursor: number }
  /** A fresh start was asked, but the position is saved: continuing it must be asked for. */
  | { readonly why: 'alreadySaved'; readonly cursor: number };

/** What a start may do with one position of a store. */
export type ResumeDecision =
  | { readonly kind: 'resume'; readonly point: ResumePoint }
  /** Nothing of the position is stored: open it afresh. */
  | { readonly kind: 'fresh' }
  | { readonly kind: 'refused'; readonly reason: ResumeRefusal };

/** What a start asks of a store for one position. */
export interface ResumeRequest {
  /** Continue the saved position (true), or open it afresh and refuse to replace one (false). */
  readonly resume: boolean;
  /** Identifies the input; a position saved from another source is refused. */
  readonly source: string;
  /** How many inputs there are (a replay's ticks); a saved cursor past it is refused. Omitted: unchecked. */
  readonly inputLength?: number;
}

/**
 * Returns whether `positionId` resumes from its checkpoint, starts afresh, or must not start,
 * and why. Throws CorruptEntryError (after moving the snapshot aside) and SnapshotVersionError
 * as {@link PositionStore.loadEnvelope} does.
 */
export async function openPositionForResume(
  store: PositionStore,
  positionId: string,
  request: ResumeRequest,
): Promise<ResumeDecision> {
  const envelope = await store.loadEnvelope(positionId);
  if (envelope === undefined) {
    const { count, lastSeq } = await store.journalOf(positionId);
    if (count > 0) return { kind: 'refused', reason: { why: 'orphanJournal', count, lastSeq } };
    return { kind: 'fresh' };
  }
  if (!request.resume)
    return { kind: 'refused', reason: { why: 'alreadySaved', cursor: envelope.cursor } };
  if (
    envelope.source !== request.source ||
    (request.inputLength !== undefined && envelope.cursor > request.inputLength)
  ) {
    return { kind: 'refused', reason: { why: 'otherSource', cursor: envelope.cursor } };
  }
  return {
    kind: 'resume',
    point: { snapshot: envelope.snapshot, seq: envelope.seq, cursor: envelope.cursor },
  };
}

/** The part of a step failure the policy judges (PositionStepError has it). */
interface StepFailure {
  readonly message: string;
  readonly firstStepAfterRestore: boolean;
}

const isFirstStepFailure = (error: unknown): error is StepFailure =>
  error instanceof Error && (error as Partial<StepFailure>).firstStepAfterRestore === true;

/**
 * Moves the snapshot of a resumed position aside when it cannot be restored, or fails on the
 * first step after its restore, and returns the CorruptEntryError to report instead; any
 * other error is returned as it is.
 */
export async function quarantineIfSnapshotBad(
  store: PositionStore,
  positionId: string,
  error: unknown,
): Promise<unknown> {
  let reason: string;
  if (error instanceof SnapshotRestoreError) reason = `it cannot be restored: ${error.message}`;
  else if (isFirstStepFailure(error))
    reason = `restored, it fails on its first tick: ${error.message}`;
  else return error;
  const report = await store.quarantineSnapshot(positionId, reason);
  if (report === undefined) return error;
  return new CorruptEntryError(corruptMessage(store.dir, report), report.key, report.quarantineKey);
}
