import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** What {@link pruneLogFiles} deletes and spares. */
export interface PruneOptions {
  /** Files last written longer ago than this are deleted. */
  readonly maxAgeMs: number;
  /** The time to measure age from (ms since the epoch). */
  readonly now: number;
  /** Files never deleted, whatever their age: those being written. */
  readonly keep?: ReadonlySet<string>;
}

// Only what the rolling files write: `<name>.<yyyy-MM-dd>.<n>.log`.
const ROLLED = /\.\d{4}-\d{2}-\d{2}\.\d+\.log$/;
// The log directory holds the root log's folder and `symbols/<name>/`: nothing deeper is ours.
const MAX_DEPTH = 3;

/**
 * Deletes the rolled log files under `dir` (down to three levels) last modified before
 * `now - maxAgeMs`, except those in `keep`; resolves to how many were deleted. A missing
 * directory counts as empty; files another process deletes meanwhile are skipped.
 */
export async function pruneLogFiles(dir: string, options: PruneOptions): Promise<number> {
  const cutoff = options.now - options.maxAgeMs;
  let deleted = 0;
  const walk = async (folder: string, depth: number): Promise<void> => {
    let names;
    try {
      names = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of names) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1);
        continue;
      }
      if (!entry.isFile() || !ROLLED.test(entry.name) || options.keep?.has(path) === true) continue;
      try {
        if ((await stat(path)).mtimeMs >= cutoff) continue;
        await unlink(path);
        deleted += 1;
      } catch {
        // Gone already, or not ours to delete: age pruning is best effort.
      }
    }
  };
  await walk(dir, 1);
  return deleted;
}
