import {
  linkSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from './storeErrors.ts';

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
      ? 'another process'
      : `another ratchet process (pid ${holder.pid}, started ${holder.startedAt}${holder.host === hostname() ? '' : ` on ${holder.host}`})`;
  return `data directory ${dir} is in use by ${who}. One process per data directory: stop that process, or pass another --data-dir.`;
}

/**
 * Takes the data directory `dir` for this process (creating it if needed) and returns the
 * lock. The lock file is created atomically (written aside, then hard-linked into place, so
 * nobody reads it half-written) and names this process. A lock left by a dead process on this
 * host is taken over. Throws DataDirLockedError naming the holder when a live process holds
 * it, or when this process already does.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(dir);
  if (heldHere.has(real)) {
    throw new DataDirLockedError(
      `data directory ${dir} is already open in this process (pid ${process.pid}); open it once and share the store.`,
    );
  }
  const path = join(real, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    host: hostname(),
  };
  const aside = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(aside, `${JSON.stringify(holder)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(aside, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      if ((current !== undefined && holderAlive(current)) || attempt >= 3) {
        throw new DataDirLockedError(describeHolder(dir, current));
      }
      // Stale (its process is gone) or unreadable (a crash while an older build wrote it).
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; the next link attempt decides.
      }
    }
  } finally {
    unlinkSync(aside);
  }
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
      if (readHolder(path)?.pid === process.pid) unlinkSync(path);
    },
  };
}

/** Returns who holds `dir` according to its lock file, or undefined if nobody does. */
export function lockHolder(dir: string): LockHolder | undefined {
  return readHolder(join(dir, LOCK_FILE));
}
