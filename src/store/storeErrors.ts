/**
 * A problem with a data directory that the user must look at: it is printed as one paragraph
 * (the CLI exits 2 on it) and never retried in a loop.
 */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The data directory is held by another process (or already open in this one). */
export class DataDirLockedError extends StoreError {
  override readonly name: string = 'DataDirLockedError';
}

/** An entry could not be read; it has been moved aside to `quarantineKey`. */
export class CorruptEntryError extends StoreError {
  override readonly name = 'CorruptEntryError';
  /**
   * @param message the readable paragraph
   * @param key the key the entry was stored under
   * @param quarantineKey where it is now
   */
  constructor(
    message: string,
    readonly key: string,
    readonly quarantineKey: string,
  ) {
    super(message);
  }
}

/** A snapshot written by a machine or schema version this build cannot migrate. */
export class SnapshotVersionError extends StoreError {
  override readonly name = 'SnapshotVersionError';
}
