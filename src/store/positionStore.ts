import { Level } from 'level';
import type { CheckpointSink, JournalEntry, PositionCheckpoint } from './checkpoint.ts';
import { MACHINE_VERSION } from '../machines/machineVersion.ts';
import {
  acquireDataDirLock,
  DataDirContestedError,
  describeHolder,
  lockHolder,
  takeOverDataDirLock,
  type DataDirLock,
} from './dataDirLock.ts';
import {
  parseEnvelope,
  parseJournalEntry,
  SCHEMA_VERSION,
  type SnapshotEnvelope,
} from './envelope.ts';
import { migrateEnvelope, MIGRATIONS, type Migration } from './migrations.ts';
import { journalKey, journalNumber, quarantineKey, range, snapshotKey } from './storeKeys.ts';
import {
  CorruptEntryError,
  DataDirLockedError,
  SnapshotVersionError,
  StoreError,
} from './storeErrors.ts';

/** How a store is opened. */
export interface PositionStoreOptions {
  /**
   * fsync every batch. Off by default: a killed process loses nothing either way (LevelDB's
   * log is written before the batch resolves); only a machine crash can lose recent batches.
   */
  readonly sync?: boolean;
  /**
   * Create the directory and the store if missing (default true). If false, a directory that
   * holds no store is refused with StoreError and left as it was (for readers such as `journal`).
   */
  readonly create?: boolean;
  /** Migrations to apply when loading older snapshots (tests inject their own). */
  readonly migrations?: ReadonlyMap<number, Migration>;
}

/** A corrupt entry found while reading, already moved aside. */
export interface QuarantineReport {
  readonly key: string;
  readonly quarantineKey: string;
  readonly reason: string;
}

/** What was moved aside earlier, as `quarantine!` keys hold it. */
export interface QuarantinedEntry {
  readonly quarantineKey: string;
  readonly key: string;
  readonly reason: string;
  readonly raw: string;
}

/** The journal, read in commit order, and whatever corrupt entries were found and moved aside on the way. */
export interface JournalRead {
  readonly entries: JournalEntry[];
  readonly quarantined: QuarantineReport[];
}

/**
 * One data directory: per position a snapshot envelope, and one journal of event lines in
 * commit order over all positions. Implements CheckpointSink: each commit is one LevelDB batch.
 * Open it with {@link openPositionStore}; one store per directory and per process.
 */
export class PositionStore implements CheckpointSink {
  readonly #db: Level<string, string>;
  readonly #lock: DataDirLock;
  readonly #sync: boolean;
  readonly #migrations: ReadonlyMap<number, Migration>;
  #nextJournal: number;

  private constructor(
    db: Level<string, string>,
    lock: DataDirLock,
    nextJournal: number,
    options: PositionStoreOptions,
  ) {
    this.#db = db;
    this.#lock = lock;
    this.#nextJournal = nextJournal;
    this.#sync = options.sync ?? false;
    this.#migrations = options.migrations ?? MIGRATIONS;
  }

  /** @internal Use openPositionStore. */
  static async open(dir: string, options: PositionStoreOptions): Promise<PositionStore> {
    const create = options.create ?? true;
    let lock: DataDirLock | undefined;
    let contested: DataDirContestedError | undefined;
    try {
      lock = acquireDataDirLock(dir, { create });
    } catch (error) {
      if (!(error instanceof DataDirContestedError)) throw error;
      // The lock file names a process that may still run. LevelDB's lock is the real guard:
      // opening the store once here is safe (this process does not hold it), and if it opens,
      // the named process is gone and its lock file is taken over.
      contested = error;
    }
    const location = lock?.dir ?? dir;
    const db = new Level<string, string>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
      createIfMissing: create,
    });
    try {
      await db.open();
    } catch (error) {
      lock?.release();
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED')
        throw new DataDirLockedError(contested?.message ?? describeHolder(dir, lockHolder(dir)));
      throw new StoreError(
        `data directory ${dir} cannot be opened as a LevelDB store: ${String(cause ?? error)}`,
      );
    }
    try {
      lock ??= takeOverDataDirLock(dir);
    } catch (error) {
      await db.close();
      throw error;
    }
    // The last well-formed journal key: a malformed key must not restart the numbering.
    let last = 0;
    for await (const key of db.keys({ ...range('journal'), reverse: true })) {
      const n = journalNumber(key);
      if (n !== undefined) {
        last = n;
        break;
      }
    }
    return new PositionStore(db, lock, last + 1, options);
  }

  /** The data directory (resolved). */
  get dir(): string {
    return this.#lock.dir;
  }

  /**
   * Writes every checkpoint — snapshot envelope and journal entries — in one atomic batch.
   * Serializes synchronously before the first await, because XState hands out its live context.
   */
  async commit(checkpoints: readonly PositionCheckpoint[]): Promise<void> {
    const ops: { type: 'put'; key: string; value: string }[] = [];
    for (const c of checkpoints) {
      for (const entry of c.entries) {
        ops.push({
          type: 'put',
          key: journalKey(this.#nextJournal++),
          value: JSON.stringify(entry),
        });
      }
      const envelope: SnapshotEnvelope = {
        schemaVersion: SCHEMA_VERSION,
        machineVersion: MACHINE_VERSION,
        positionId: c.positionId,
        seq: c.seq,
        cursor: c.cursor,
        source: c.source,
        snapshot: c.snapshot,
      };
      ops.push({ type: 'put', key: snapshotKey(c.positionId), value: JSON.stringify(envelope) });
    }
    await this.#db.batch(ops, { sync: this.#sync });
  }

  /**
   * Returns the envelope of `positionId` migrated to this build's machine version, or undefined
   * if the store has none. Throws CorruptEntryError after moving a corrupt envelope aside (so
   * the next start does not trip over it again), and SnapshotVersionError for versions this
   * build cannot migrate (the entry stays: an older or newer build can still use it).
   */
  async loadEnvelope(positionId: string): Promise<SnapshotEnvelope | undefined> {
    const key = snapshotKey(positionId);
    const text = await this.#db.get(key);
    if (text === undefined) return undefined;
    return this.#checkEnvelope(key, text);
  }

  async #checkEnvelope(key: string, text: string): Promise<SnapshotEnvelope> {
    const parsed = parseEnvelope(text);
    if ('corrupt' in parsed) {
      const report = await this.#quarantine(key, text, parsed.corrupt);
      throw new CorruptEntryError(corruptMessage(this.dir, report), key, report.quarantineKey);
    }
    if (parsed.schemaVersion !== SCHEMA_VERSION) {
      throw new SnapshotVersionError(
        `${key} has envelope schema version ${parsed.schemaVersion}; this build reads version ${SCHEMA_VERSION} only. Use the build that wrote it.`,
      );
    }
    return migrateEnvelope(parsed, key, this.#migrations);
  }

  /**
   * Moves the snapshot envelope of `positionId` aside as corrupt (for a snapshot that parses
   * but cannot be restored or fails on its first step) and returns the report, or undefined
   * when there is none.
   */
  async quarantineSnapshot(
    positionId: string,
    reason: string,
  ): Promise<QuarantineReport | undefined> {
    const key = snapshotKey(positionId);
    const text = await this.#db.get(key);
    if (text === undefined) return undefined;
    return await this.#quarantine(key, text, reason);
  }

  /**
   * Returns how many readable journal entries `positionId` has and the highest seq among
   * them: a position without a snapshot but with a journal must not be started again here.
   */
  async journalOf(positionId: string): Promise<{ count: number; lastSeq: number }> {
    let count = 0;
    let lastSeq = 0;
    for await (const text of this.#db.values(range('journal'))) {
      const parsed = parseJournalEntry(text);
      if ('corrupt' in parsed || parsed.positionId !== positionId) continue;
      count++;
      lastSeq = Math.max(lastSeq, parsed.seq);
    }
    return { count, lastSeq };
  }

  /**
   * Returns every readable envelope (any version, unmigrated) and moves corrupt ones aside,
   * reporting them: listing must survive a damaged entry.
   */
  async listEnvelopes(): Promise<{
    envelopes: SnapshotEnvelope[];
    quarantined: QuarantineReport[];
  }> {
    const envelopes: SnapshotEnvelope[] = [];
    const quarantined: QuarantineReport[] = [];
    for await (const [key, text] of this.#db.iterator(range('snapshot'))) {
      const parsed = parseEnvelope(text);
      if ('corrupt' in parsed) quarantined.push(await this.#quarantine(key, text, parsed.corrupt));
      else envelopes.push(parsed);
    }
    return { envelopes, quarantined };
  }

  /** Returns the journal in commit order; corrupt entries are moved aside and reported, never skipped silently. */
  async readJournal(): Promise<JournalRead> {
    const entries: JournalEntry[] = [];
    const bad: [string, string, string][] = [];
    for await (const [key, text] of this.#db.iterator(range('journal'))) {
      const parsed = parseJournalEntry(text);
      if ('corrupt' in parsed) bad.push([key, text, parsed.corrupt]);
      else entries.push(parsed);
    }
    const quarantined: QuarantineReport[] = [];
    for (const [key, text, reason] of bad)
      quarantined.push(await this.#quarantine(key, text, reason));
    return { entries, quarantined };
  }

  /** Returns the entries moved aside so far, oldest key first. */
  async listQuarantine(): Promise<QuarantinedEntry[]> {
    const out: QuarantinedEntry[] = [];
    for await (const [key, text] of this.#db.iterator(range('quarantine'))) {
      try {
        const value = JSON.parse(text) as { key: string; reason: string; raw: string };
        out.push({ quarantineKey: key, key: value.key, reason: value.reason, raw: value.raw });
      } catch {
        out.push({
          quarantineKey: key,
          key: '?',
          reason: 'unreadable quarantine record',
          raw: text,
        });
      }
    }
    return out;
  }

  /**
   * Appends journal entries that belong to no position's snapshot (the engine's own control
   * decisions) and writes the `raw` keys with them, in one atomic batch.
   */
  async append(
    entries: readonly JournalEntry[],
    raw: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const ops: { type: 'put'; key: string; value: string }[] = entries.map((entry) => ({
      type: 'put',
      key: journalKey(this.#nextJournal++),
      value: JSON.stringify(entry),
    }));
    for (const [key, value] of Object.entries(raw)) ops.push({ type: 'put', key, value });
    await this.#db.batch(ops, { sync: this.#sync });
  }

  /** Writes raw text under `key`, bypassing every check: for tests and repair tools that need a damaged entry. */
  async putRaw(key: string, text: string): Promise<void> {
    await this.#db.put(key, text);
  }

  /** Returns the raw text under `key`, or undefined. */
  async getRaw(key: string): Promise<string | undefined> {
    return await this.#db.get(key);
  }

  async #quarantine(key: string, raw: string, reason: string): Promise<QuarantineReport> {
    const target = quarantineKey(key, new Date());
    // Move, in one batch, so the entry is never both gone and not kept.
    await this.#db.batch(
      [
        { type: 'put', key: target, value: JSON.stringify({ key, reason, raw }) },
        { type: 'del', key },
      ],
      { sync: true },
    );
    return { key, quarantineKey: target, reason };
  }

  /** Closes the database and releases the directory. */
  async close(): Promise<void> {
    try {
      await this.#db.close();
    } finally {
      this.#lock.release();
    }
  }
}

/** Returns the paragraph reporting one quarantined entry. */
export function corruptMessage(dir: string, report: QuarantineReport): string {
  return `data directory ${dir}: entry ${report.key} is corrupt (${report.reason}); it was moved aside to ${report.quarantineKey} and nothing else was changed.`;
}

/**
 * Opens the data directory `dir` (created if missing) for this process and returns its store.
 * Throws DataDirLockedError naming the holder if another process (or this one) has it open,
 * and StoreError if it is not a LevelDB directory.
 */
export async function openPositionStore(
  dir: string,
  options: PositionStoreOptions = {},
): Promise<PositionStore> {
  return await PositionStore.open(dir, options);
}
