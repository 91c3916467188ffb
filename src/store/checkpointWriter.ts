import type { AnyActorRef } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';
import type { CheckpointSink, JournalEntry, PositionCheckpoint } from './checkpoint.ts';

/** Where a tracked position's journal and input stood when it was last committed. */
export interface TrackedPosition {
  readonly positionId: string;
  readonly actor: AnyActorRef;
  /** The seq of its last committed journal entry (0 for a position not yet journaled). */
  readonly seq: number;
  readonly cursor: number;
  readonly source: string;
}

const ignore = (): void => undefined;

interface Pending {
  readonly actor: AnyActorRef;
  readonly source: string;
  seq: number;
  cursor: number;
  dirty: boolean;
  entries: JournalEntry[];
  lastSeen: unknown;
}

/** How often a writer asks to be flushed. */
export interface CheckpointWriterOptions {
  /**
   * Steps (over all positions) after which `stepped` reports a flush is due. Larger batches
   * are faster; nothing is lost either way, because callers act on events only once flushed.
   */
  readonly maxPendingSteps?: number;
}

/**
 * Coalesces the steps of many position actors into checkpoints. A position's snapshot is
 * serialized once per flush however many steps it took, while every journal entry of every
 * step is kept until it is committed. The contract with callers: do not act on (print, send to
 * an exchange) an event before the flush that commits it has resolved, so a crash can only
 * lose steps whose effects nobody saw, and a restart redoes them from the last cursor.
 */
export class CheckpointWriter {
  readonly #sink: CheckpointSink;
  readonly #maxPendingSteps: number;
  readonly #positions = new Map<string, Pending>();
  #pendingSteps = 0;
  /** Settles (never rejects) when the batch in flight, and every flush queued behind it, has. */
  #writing: Promise<void> | undefined;

  constructor(sink: CheckpointSink, options: CheckpointWriterOptions = {}) {
    this.#sink = sink;
    this.#maxPendingSteps = options.maxPendingSteps ?? 1024;
  }

  /** Starts tracking a position; its current snapshot counts as committed (it was just restored or created). */
  track(position: TrackedPosition): void {
    this.#positions.set(position.positionId, {
      actor: position.actor,
      source: position.source,
      seq: position.seq,
      cursor: position.cursor,
      dirty: false,
      entries: [],
      lastSeen: position.actor.getSnapshot(),
    });
  }

  /**
   * Marks that the actor of `positionId` has been sent an event (or created): `events` are
   * what the step emitted, `cursor` the index of the next input. Returns the journal entries
   * given to the events, and whether a flush is now due. Throws if the position is not tracked.
   */
  stepped(
    positionId: string,
    cursor: number,
    events: readonly PositionEvent[],
  ): { entries: JournalEntry[]; flushDue: boolean } {
    const pending = this.#positions.get(positionId);
    if (pending === undefined)
      throw new Error(`checkpoint writer: position ${positionId} is not tracked`);
    const snapshot: unknown = pending.actor.getSnapshot();
    const entries = events.map((event) => ({ positionId, seq: ++pending.seq, event }));
    // XState keeps the snapshot object when no transition fired: such a step changes nothing
    // worth a write, and redoing it after a crash is harmless.
    if (snapshot !== pending.lastSeen || entries.length > 0 || cursor !== pending.cursor) {
      pending.dirty = true;
      pending.lastSeen = snapshot;
      pending.cursor = cursor;
      pending.entries.push(...entries);
      this.#pendingSteps++;
    }
    return { entries, flushDue: this.#pendingSteps >= this.#maxPendingSteps };
  }

  /**
   * Commits every position that changed since the last flush, in one batch, and resolves
   * when it is durable. One batch is in flight at a time: a flush asked for while another is
   * writing starts when that one has settled, so a failed batch is always retried before the
   * steps recorded after it. Snapshots are taken when the batch starts (at the call, when no
   * other is writing); steps taken while it is in flight belong to the next flush. Rejects if
   * the sink fails; the pending steps are then kept for the next flush.
   */
  flush(): Promise<void> {
    const previous = this.#writing;
    const write = previous === undefined ? this.#write() : previous.then(() => this.#write());
    const settled = write.then(ignore, ignore);
    this.#writing = settled;
    void settled.then(() => {
      if (this.#writing === settled) this.#writing = undefined;
    });
    return write;
  }

  async #write(): Promise<void> {
    const checkpoints: PositionCheckpoint[] = [];
    const flushed: Pending[] = [];
    for (const [positionId, pending] of this.#positions) {
      if (!pending.dirty) continue;
      checkpoints.push({
        positionId,
        seq: pending.seq,
        cursor: pending.cursor,
        source: pending.source,
        snapshot: pending.actor.getPersistedSnapshot(),
        entries: pending.entries,
      });
      flushed.push(pending);
    }
    if (checkpoints.length === 0) return;
    for (const pending of flushed) {
      pending.dirty = false;
      pending.entries = [];
    }
    const steps = this.#pendingSteps;
    this.#pendingSteps = 0;
    try {
      await this.#sink.commit(checkpoints);
    } catch (error) {
      // No other batch ran meanwhile (one is in flight at a time), so the lost batch goes back
      // in front of whatever was recorded since.
      flushed.forEach((pending, i) => {
        pending.dirty = true;
        pending.entries = [...(checkpoints[i]?.entries ?? []), ...pending.entries];
      });
      this.#pendingSteps += steps;
      throw error;
    }
  }
}
