import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** The project root, where package.json lives. */
export const ROOT = join(import.meta.dirname, '../..');

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One `status …`, `kept …`, `resumed …` or `opened …` line of a paper run, parsed. */
export interface PaperLine {
  readonly verb: string;
  readonly symbol: string;
  readonly side: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Returns the parsed form of a paper run's position line, or undefined for any other line. */
export function parsePaperLine(line: string): PaperLine | undefined {
  const m = /^(status|kept|resumed|opened) (\S+) (long|short) (.*)$/.exec(line);
  if (m === null) return undefined;
  const fields: Record<string, string> = {};
  for (const part of (m[4] ?? '').split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { verb: m[1] ?? '', symbol: m[2] ?? '', side: m[3] ?? '', fields };
}

/**
 * `npm start -- …args` as a user runs it, in its own process group, with its output split into
 * lines. `wait` resolves on the first line (old or new) that matches and rejects when the
 * process ends first, so a test never waits on a dead process.
 */
export class PaperRun {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  readonly exited: Promise<Exit>;
  /** Milliseconds since the spawn at which each stdout line arrived. */
  readonly at: number[] = [];
  private readonly started = performance.now();
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(args: readonly string[]) {
    this.child = spawn('npm', ['start', '--', ...args], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      this.lines.push(line);
      this.at.push(performance.now() - this.started);
      for (const w of [...this.waiters]) w();
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
      this.errors.push(line),
    );
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.ended = true;
        for (const w of [...this.waiters]) w();
        resolve({ code, signal });
      }),
    );
  }

  /** Resolves with the first stdout line from index `from` on for which `match` holds. */
  wait(
    match: (line: string) => boolean,
    what: string,
    from = 0,
  ): Promise<{ line: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const i = this.lines.findIndex((l, n) => n >= from && match(l));
        if (i >= 0) {
          this.waiters.delete(check);
          resolve({ line: this.lines[i] ?? '', ms: this.at[i] ?? 0 });
        } else if (this.ended) {
          this.waiters.delete(check);
          reject(new Error(`npm start ended before ${what}; output:\n${this.tail()}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The pid of the `ratchet paper` process itself (npm runs it through a shell). */
  paperPid(): number {
    const below = (pid: number): number[] => {
      try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
          .split('\n')
          .map((s) => Number(s.trim()))
          .filter((n) => n > 0);
      } catch {
        return [];
      }
    };
    const queue = [this.child.pid ?? 0];
    while (queue.length > 0) {
      const pid = queue.shift() ?? 0;
      const command = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], {
        encoding: 'utf8',
      });
      // The shell npm runs the script with has the same command line in its arguments.
      if (/^node\S* .*bin\/ratchet\.mjs paper/.test(command.trim())) return pid;
      queue.push(...below(pid));
    }
    throw new Error('no ratchet paper process under npm start');
  }

  /** Sends SIGINT to the paper process, as Ctrl-C does, and resolves with how npm ended. */
  async interrupt(): Promise<Exit> {
    if (!this.ended) process.kill(this.paperPid(), 'SIGINT');
    return this.exited;
  }

  /** Ends the whole process group (a failed test's cleanup). */
  kill(): void {
    if (this.ended || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** The last lines of output, for failure messages. */
  tail(n = 20): string {
    return [...this.lines.slice(-n), ...this.errors.slice(-n)].join('\n');
  }
}
