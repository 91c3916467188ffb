import type {
  CheckpointSink,
  JournalEntry,
  PositionCheckpoint,
  ResumePoint,
} from '../../src/store/checkpoint.ts';

/** A sink that keeps what a store would, and can "crash" (refuse every commit) after a number of commits. */
export class MemorySink implements CheckpointSink {
  journal: JournalEntry[] = [];
  latest: PositionCheckpoint | undefined;
  commits = 0;
  crashAfter = Infinity;
  commit(checkpoints: readonly PositionCheckpoint[]): Promise<void> {
    if (this.commits >= this.crashAfter) return Promise.reject(new Error('crashed'));
    this.commits++;
    // A store serializes at once; copying here catches a writer that hands over live objects.
    for (const c of JSON.parse(JSON.stringify(checkpoints)) as PositionCheckpoint[]) {
      this.journal.push(...c.entries);
      this.latest = c;
    }
    return Promise.resolve();
  }
  resumePoint(): ResumePoint | undefined {
    const c = this.latest;
    return c === undefined ? undefined : { snapshot: c.snapshot, seq: c.seq, cursor: c.cursor };
  }
}
