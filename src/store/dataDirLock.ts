import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, StoreError } from './storeErrors.ts';

/** The lock file's name inside a data directory. */
export const LOCK_FILE = 'ratchet.lock';

/** Who holds a data directory, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly startedAt: string;
  readonly host: string;
}

/** A held data directory; `release` is idempotent. */
export interface DataDirLock {
  readonly dir: string;
  readonly holder: LockHolder;
  release(): void;
}

// LevelDB forgets its own lock when a second open of the same directory fails inside the
// process that holds it (PosixEnv::LockFile), so a directory must never be opened twice here.
const heldHere = new Set<string>();

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (
      !Number.isSafeInteger(value.pid) ||
      typeof value.startedAt !== 'string' ||
      typeof value.host !== 'string'
    ) {
      return undefined;
    }
    return value as LockHolder;
  } catch {
    return undefined;
  }
}

/** Returns whether the process that wrote `holder` may still run (only a definite "no" frees the lock). */
function holderAlive(holder: LockHolder): boolean {
  // Another host's pid means nothing here; and our own pid in a file we did not write is a
  // previous process whose pid was reused (common in containers).
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns the sentence naming who holds `dir`. */
export function describeHolder(dir: string, holder: LockHolder | undefined): string {
  const who =
    holder === undefined
      ? `another process (LevelDB's lock on it is held; its ${LOCK_FILE} names no live process)`
      : `another ratchet process (pid ${holder.pid}, started ${holder.startedAt}${holder.host === hostname() ? '' : ` on ${holder.host}`}), as its ${LOCK_FILE} says and LevelDB's own lock confirms`;
  return `data directory ${dir} is in use by ${who}. One process per data directory: stop that process, or pass another --data-dir.`;
}

/**
 * The lock file names a process that may still run (on this host, or on another one, whose
 * pids mean nothing here). Only LevelDB's own lock can tell: the caller opens the store, and
 * if that succeeds the holder is gone and {@link takeOverDataDirLock} replaces its lock file.
 */
export class DataDirContestedError extends DataDirLockedError {
  override readonly name = 'DataDirContestedError';
  /**
   * @param message the refusal, should LevelDB confirm the holder
   * @param holder what the lock file says
   */
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

/** How a data directory is taken. */
export interface AcquireOptions {
  /** Create the directory if it is missing (default true); if false, refuse a directory holding no store. */
  readonly create?: boolean;
}

function unusable(dir: string, error: unknown): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`data directory ${dir} is not a usable directory: ${message}.`);
}

/** Runs a file-system step, turning its failure into a StoreError about `dir`. */
function fsStep<T>(dir: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw unusable(dir, error);
  }
}

function lockRecord(): LockHolder {
  return { pid: process.pid, startedAt: new Date().toISOString(), host: hostname() };
}

function heldLock(real: string, path: string, holder: LockHolder): DataDirLock {
  heldHere.add(real);
  let released = false;
  return {
    dir: real,
    holder,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(real);
      // Only remove the file if it is still ours.
      if (readHolder(path)?.pid === process.pid) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already.
        }
      }
    },
  };
}

/**
 * Takes the data directory `dir` for this process (creating it if needed, unless
 * `options.create` is false) and returns the lock. The lock file is created atomically (written
 * aside, then hard-linked into place, so nobody reads it half-written) and names this process.
 * A lock left by a dead process on this host is taken over. Throws DataDirLockedError when this
 * process already holds it, DataDirContestedError when the lock file names a process that may
 * still run (the caller asks LevelDB), and StoreError when `dir` is not a usable directory.
 */
export function acquireDataDirLock(dir: string, options: AcquireOptions = {}): DataDirLock {
  const real = fsStep(dir, () => {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error('it is a file');
    if (options.create ?? true) mkdirSync(dir, { recursive: true });
    const resolved = realpathSync(dir);
    if (!statSync(resolved).isDirectory()) throw new Error('it is not a directory');
    return resolved;
  });
  if (heldHere.has(real)) {
    throw new DataDirLockedError(
      `data directory ${dir} is already open in this process (pid ${process.pid}); open it once and share the store.`,
    );
  }
  if (options.create === false && !existsSync(join(real, 'CURRENT'))) {
    throw new StoreError(
      `data directory ${dir} holds no ratchet store (no LevelDB files in it); pass the --data-dir of a persisted replay.`,
    );
  }
  const path = join(real, LOCK_FILE);
  const holder = lockRecord();
  const aside = `${path}.${process.pid}.${Date.now()}.tmp`;
  fsStep(dir, () => writeFileSync(aside, `${JSON.stringify(holder)}\n`));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(aside, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, error);
      }
      const current = readHolder(path);
      if ((current !== undefined && holderAlive(current)) || attempt >= 3) {
        throw new DataDirContestedError(describeHolder(dir, current), current);
      }
      // Stale (its process is gone) or unreadable (a crash while an older build wrote it).
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; the next link attempt decides.
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // Nothing to clean.
    }
  }
  return heldLock(real, path, holder);
}

/**
 * Replaces the lock file of `dir` with one naming this process. Only for a caller that has just
 * opened the directory's LevelDB store after DataDirContestedError: LevelDB's lock proves the
 * process the old file names no longer has the store open (it died, or its pid was reused).
 */
export function takeOverDataDirLock(dir: string): DataDirLock {
  const real = fsStep(dir, () => realpathSync(dir));
  const path = join(real, LOCK_FILE);
  const holder = lockRecord();
  const aside = `${path}.${process.pid}.${Date.now()}.tmp`;
  fsStep(dir, () => {
    writeFileSync(aside, `${JSON.stringify(holder)}\n`);
    renameSync(aside, path);
  });
  return heldLock(real, path, holder);
}

/** Returns who holds `dir` according to its lock file, or undefined if nobody does. */
export function lockHolder(dir: string): LockHolder | undefined {
  return readHolder(join(dir, LOCK_FILE));
}
