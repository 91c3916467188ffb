import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import build from 'pino-roll';

/** How each rolling log file is kept. */
export interface RollingFileOptions {
  /** A file is rolled over when it reaches this size. */
  readonly maxSizeMB: number;
  /** Rolled-over files kept per log besides the current one (older ones are deleted). */
  readonly maxFiles: number;
  /** Logs open at once; writing to another closes the least recently written one first. */
  readonly maxOpen: number;
  /** Sees a log that could not be opened or written (the line is lost, the engine goes on). */
  readonly onError: (name: string, error: Error) => void;
}

type Stream = Awaited<ReturnType<typeof build>>;

interface Entry {
  stream: Stream | undefined;
  /** Lines written while the file was being opened. */
  readonly pending: string[];
  closing: boolean;
  readonly opened: Promise<void>;
  /** Bytes handed to the stream that it has not reported written yet. */
  unwritten: number;
  /** Called once `unwritten` is back to zero. */
  readonly waiters: (() => void)[];
}

// A file opens within milliseconds; lines beyond this while it opens mean something is stuck.
const MAX_PENDING = 1000;

/** Returns a name usable as a file name: anything but letters, digits, `-` and `_` becomes `_`. */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return safe === '' ? '_' : safe;
}

/**
 * Named log files under one directory (`<dir>/<name>/<name>.<date>.<n>.log`, with
 * `current.log` pointing at the one being written), rolled over daily and by size, with at
 * most `maxOpen` open at once: the least recently written is closed and reopened (appending)
 * when written again.
 */
export class RollingFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly options: RollingFileOptions,
  ) {}

  /** How many logs are open (or opening) now. */
  get openCount(): number {
    return this.entries.size;
  }

  /** The files being written now. */
  currentFiles(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries.values()) if (e.stream !== undefined) out.add(e.stream.file);
    return out;
  }

  /** Appends `line` (one or more whole lines) to the log called `name`; nothing once closed. */
  write(name: string, line: string): void {
    if (this.closed) return;
    let entry = this.entries.get(name);
    if (entry === undefined) {
      entry = this.open(name);
      this.entries.set(name, entry);
      while (this.entries.size > this.options.maxOpen) {
        const [oldest] = this.entries.keys();
        if (oldest === undefined) break;
        this.release(oldest);
      }
    } else {
      // Map order is insertion order: re-inserting makes it the most recently written.
      this.entries.delete(name);
      this.entries.set(name, entry);
    }
    if (entry.stream !== undefined) this.send(entry, entry.stream, line);
    else if (entry.pending.length < MAX_PENDING) entry.pending.push(line);
  }

  /** Resolves when every line written so far has reached its file (or failed to). */
  async flush(): Promise<void> {
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        await entry.opened;
        if (entry.unwritten > 0) await new Promise<void>((done) => entry.waiters.push(done));
      }),
    );
  }

  /** Resolves when every log has been flushed and closed; later lines are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const name of [...this.entries.keys()]) this.release(name);
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }

  private open(name: string): Entry {
    const safe = safeFileName(name);
    const folder = join(this.dir, safe);
    const entry: Entry = {
      stream: undefined,
      pending: [],
      closing: false,
      unwritten: 0,
      waiters: [],
      // pino-roll links current.log before its stream has created the folder: create it first.
      opened: mkdir(folder, { recursive: true })
        .then(() =>
          build({
            file: join(folder, `${safe}.log`),
            size: `${this.options.maxSizeMB}m`,
            frequency: 'daily',
            dateFormat: 'yyyy-MM-dd',
            symlink: true,
            limit: { count: this.options.maxFiles, removeOtherLogFiles: true },
          }),
        )
        .then(
          (stream) => {
            stream.on('write', (bytes: number) => this.written(entry, bytes));
            stream.on('close', () => this.written(entry, entry.unwritten));
            stream.on('error', (error: Error) => {
              this.written(entry, entry.unwritten);
              this.options.onError(name, error);
            });
            entry.stream = stream;
            for (const line of entry.pending.splice(0)) this.send(entry, stream, line);
            if (entry.closing) this.end(stream);
          },
          (error: unknown) => {
            entry.pending.length = 0;
            this.options.onError(name, error instanceof Error ? error : new Error(String(error)));
          },
        ),
    };
    return entry;
  }

  private send(entry: Entry, stream: Stream, line: string): void {
    entry.unwritten += Buffer.byteLength(line);
    stream.write(line);
  }

  private written(entry: Entry, bytes: number): void {
    entry.unwritten = Math.max(0, entry.unwritten - bytes);
    if (entry.unwritten === 0) for (const done of entry.waiters.splice(0)) done();
  }

  private release(name: string): void {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    this.entries.delete(name);
    entry.closing = true;
    if (entry.stream !== undefined) this.end(entry.stream);
    else this.track(entry.opened);
  }

  private end(stream: Stream): void {
    const closed = once(stream, 'close').then(
      () => undefined,
      () => undefined,
    );
    this.track(closed);
    stream.end();
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.finally(() => this.closing.delete(tracked));
    this.closing.add(tracked);
  }
}
