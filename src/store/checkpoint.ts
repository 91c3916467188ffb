import type { Snapshot } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';

/** A position actor's persisted snapshot, as `actor.getPersistedSnapshot()` returns it: plain JSON. */
export type PersistedPositionSnapshot = Snapshot<unknown> & Record<string, unknown>;

/** One decision of the journal: an event line and its number within its position (1, 2, …). */
export interface JournalEntry {
  readonly positionId: string;
  readonly seq: number;
  readonly event: PositionEvent;
}

/**
 * What a position has made durable at one point: its snapshot, the journal entries produced
 * since its previous checkpoint, and where its input stands. A sink writes all of it at once.
 */
export interface PositionCheckpoint {
  readonly positionId: string;
  /** The seq of the position's last journal entry (0 before `opened` is journaled). */
  readonly seq: number;
  /** Index of the next tick a replay must send: ticks before it are reflected in `snapshot`. */
  readonly cursor: number;
  /** Identifies the input the cursor indexes into, so a resume can refuse another input. */
  readonly source: string;
  readonly snapshot: PersistedPositionSnapshot;
  readonly entries: readonly JournalEntry[];
}

/**
 * Where checkpoints go (the LevelDB store in production). `commit` writes every checkpoint
 * given, snapshots and journal entries together, in one atomic batch: after a crash either
 * all of them are there or none is.
 */
export interface CheckpointSink {
  commit(checkpoints: readonly PositionCheckpoint[]): Promise<void>;
}

/** Where a restarted position continues: its last committed checkpoint. */
export interface ResumePoint {
  readonly snapshot: PersistedPositionSnapshot;
  /** The seq of its last journal entry. */
  readonly seq: number;
  /** Index of the next input (tick) to send. */
  readonly cursor: number;
}
