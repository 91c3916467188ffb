/**
 * The key layout of a data directory. Keys are text so `ldb`-style tools and error messages
 * show them as they are; numbers are zero-padded so lexicographic order is numeric order.
 */

const SNAPSHOT = 'snapshot!';
const JOURNAL = 'journal!';
const QUARANTINE = 'quarantine!';
/** The character after '!', so `{ gte: prefix, lt: prefix with '"' }` ranges over one prefix. */
const AFTER_BANG = '"';

/** Returns the key of a position's snapshot envelope. */
export function snapshotKey(positionId: string): string {
  return `${SNAPSHOT}${positionId}`;
}

/** Returns the key of the journal entry with global sequence number `n` (commit order over all positions). */
export function journalKey(n: number): string {
  return `${JOURNAL}${String(n).padStart(16, '0')}`;
}

/** Returns the global sequence number of a journal key, or undefined if it is not one. */
export function journalNumber(key: string): number | undefined {
  if (!key.startsWith(JOURNAL)) return undefined;
  const digits = key.slice(JOURNAL.length);
  return /^\d{16}$/.test(digits) ? Number(digits) : undefined;
}

/** Returns the key a corrupt entry is moved to: its old key and when, so repeated corruptions never collide. */
export function quarantineKey(key: string, at: Date): string {
  return `${QUARANTINE}${key}!${at.toISOString()}`;
}

/** Returns the iterator range of every key with `prefix` ('snapshot', 'journal' or 'quarantine'). */
export function range(prefix: 'snapshot' | 'journal' | 'quarantine'): { gte: string; lt: string } {
  return { gte: `${prefix}!`, lt: `${prefix}${AFTER_BANG}` };
}
