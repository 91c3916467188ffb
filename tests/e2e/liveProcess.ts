import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Decimal } from 'decimal.js';
import { expect } from 'vitest';

/** The project root, where bin/ratchet.mjs lives. */
export const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ratchet.mjs');
const WARM = pathToFileURL(join(import.meta.dirname, 'liveProcessWarm.ts')).href;

/** Returns a fresh temporary directory for one test. */
export function tempDir(prefix = 'ratchet-live-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The lines of one output stream so far, and listeners told of each new one. */
class Lines {
  readonly all: string[] = [];
  private readonly waiters = new Set<(line: string, index: number) => void>();

  constructor(stream: NodeJS.ReadableStream) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.all.push(line);
      for (const w of [...this.waiters]) w(line, this.all.length - 1);
    });
  }

  /** Calls `listener` for every line from now on; returns the unsubscribe function. */
  listen(listener: (line: string, index: number) => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }
}

/**
 * One `node bin/ratchet.mjs …` process with its stdout and stderr split into lines. `wait`
 * resolves on the first line (old or new) that matches, and rejects when the process exits
 * first, so a test never waits on a dead process.
 */
export class RatchetProcess {
  readonly child: ChildProcess;
  readonly stdout: Lines;
  readonly stderr: Lines;
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;

  constructor(
    args: readonly string[],
    env: Record<string, string | undefined> = {},
    nodeOptions: readonly string[] = [],
  ) {
    this.child = spawn('node', [...nodeOptions, BIN, ...args], {
      cwd: ROOT,
      // An undefined value removes the variable (spawn would pass the text "undefined").
      env: Object.fromEntries(
        Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
      ),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.stdout = new Lines(this.child.stdout as NodeJS.ReadableStream);
    this.stderr = new Lines(this.child.stderr as NodeJS.ReadableStream);
    // 'close' comes after both pipes are drained, so every line is seen before the exit.
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  /** Whether the process has ended. */
  get done(): boolean {
    return this.exit !== undefined;
  }

  /** Resolves with the first line of `stream` (from `from` on) that `match` accepts. */
  wait(
    stream: 'stdout' | 'stderr',
    match: (line: string) => boolean,
    what: string,
    from = 0,
  ): Promise<string> {
    const lines = this[stream];
    const seen = lines.all.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const stop = lines.listen((line) => {
        if (!match(line)) return;
        stop();
        resolve(line);
      });
      void this.exited.then((exit) => {
        stop();
        reject(
          new Error(
            `ratchet exited (${exit.code ?? exit.signal}) before ${what}; stderr tail:\n${this.tail()}`,
          ),
        );
      });
    });
  }

  /** Sends `signal` (once the process runs) and resolves with how it ended. */
  async signal(signal: NodeJS.Signals): Promise<Exit> {
    if (!this.done) this.child.kill(signal);
    return this.exited;
  }

  /** The last lines of stderr, for failure messages. */
  tail(lines = 15): string {
    return this.stderr.all.slice(-lines).join('\n');
  }
}

/** Runs `node bin/ratchet.mjs …args` to its end and returns its code and output. */
export async function runRatchet(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<Exit & { stdout: string; stderr: string }> {
  const p = new RatchetProcess(args, env);
  const exit = await p.exited;
  return { ...exit, stdout: p.stdout.all.join('\n'), stderr: p.stderr.all.join('\n') };
}

/** One open position as `GET /admin/state` reports it. */
export interface AdminPosition {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly amount: string;
  readonly entryPrice: string;
  readonly openedAt: number;
  readonly unprotectedMs: number;
  readonly isProtected: boolean;
  readonly firstProtectedAt: number | null;
  readonly unprotectedMsSinceFirstProtected: number;
}

/** One resting conditional order as `GET /admin/state` reports it (Binance's algo shape). */
export interface AdminOrder {
  readonly algoId: number;
  readonly clientAlgoId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: string;
  readonly triggerPrice: string;
  readonly reduceOnly: boolean;
}

/** The parts of `GET /admin/state` the live tests read. */
export interface AdminState {
  readonly time: number;
  readonly positions: readonly AdminPosition[];
  readonly openOrders: readonly AdminOrder[];
  readonly orders: ReadonlyArray<{ readonly clientOrderId: string; readonly symbol: string }>;
}

/** The emulator (`ratchet exchange`) as a separate process, with its admin API. */
export class EmulatorProcess {
  private constructor(
    readonly process: RatchetProcess,
    readonly restUrl: string,
    readonly apiKey: string,
    readonly secret: string,
  ) {}

  /** Starts `ratchet exchange --port 0 --feed none` and reads its URL and key pair from stdout. */
  static async start(symbols: readonly string[], seed: number): Promise<EmulatorProcess> {
    const p = new RatchetProcess([
      'exchange',
      '--port',
      '0',
      '--feed',
      'none',
      '--symbols',
      symbols.join(','),
      '--seed',
      String(seed),
    ]);
    await p.wait('stdout', (l) => l.startsWith('Press Ctrl-C'), 'the emulator listens');
    const field = (label: string): string => {
      const line = p.stdout.all.find((l) => l.trimStart().startsWith(label));
      const value = line?.trim().slice(label.length).trim().split(/\s+/)[0];
      if (value === undefined || value === '')
        throw new Error(`the emulator printed no ${label}:\n${p.stdout.all.join('\n')}`);
      return value;
    };
    return new EmulatorProcess(p, field('REST'), field('API key'), field('secret'));
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.restUrl + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** `GET /admin/state`. */
  state(): Promise<AdminState> {
    return this.call('GET', '/admin/state');
  }

  /** `POST /admin/positions`: a market order; the opposite side reduces or closes. */
  trade(symbol: string, side: 'long' | 'short', quantity: string): Promise<unknown> {
    return this.call('POST', '/admin/positions', { symbol, side, quantity });
  }

  /** `POST /admin/price`: a trade at `price` (the mark follows). */
  setPrice(symbol: string, price: string): Promise<unknown> {
    return this.call('POST', '/admin/price', { symbol, price });
  }

  /** `POST /admin/faults` (see docs/exchange-emulator.md). */
  faults(body: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/admin/faults', body);
  }

  /**
   * Places a STOP_MARKET through the signed REST API, as another tool or a person would: the
   * engine must tell it from its own by the client id.
   */
  async placeStop(order: {
    symbol: string;
    side: 'BUY' | 'SELL';
    quantity: string;
    triggerPrice: string;
    clientAlgoId: string;
  }): Promise<AdminOrder> {
    const { serverTime } = await this.call<{ serverTime: number }>('GET', '/fapi/v1/time');
    const query = new URLSearchParams({
      algoType: 'CONDITIONAL',
      type: 'STOP_MARKET',
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      triggerPrice: order.triggerPrice,
      reduceOnly: 'true',
      workingType: 'CONTRACT_PRICE',
      clientAlgoId: order.clientAlgoId,
      timestamp: String(serverTime),
    }).toString();
    const signature = createHmac('sha256', this.secret).update(query).digest('hex');
    const response = await fetch(
      `${this.restUrl}/fapi/v1/algoOrder?${query}&signature=${signature}`,
      {
        method: 'POST',
        headers: { 'X-MBX-APIKEY': this.apiKey },
      },
    );
    const text = await response.text();
    if (!response.ok)
      throw new Error(`placing ${order.clientAlgoId} answered ${response.status}: ${text}`);
    return JSON.parse(text) as AdminOrder;
  }

  /** Stops the emulator (SIGINT) and resolves when it has exited. */
  stop(): Promise<Exit> {
    return this.process.signal('SIGINT');
  }
}

/** What the engine config of a live test says. */
export interface EngineConfigOptions {
  readonly url: string;
  readonly dataDir: string;
  readonly prefix: string;
}

/**
 * Returns the YAML engine config of the live tests: trailing 1 % (initial stop 2 %), every move
 * sent at once, every tick through, CLOCK at 200 ms, and a REST price poll after 1 s of
 * WebSocket silence so that a price set while the engine was down reaches it soon after start.
 */
export function engineConfig(o: EngineConfigOptions): string {
  return `venue:
  exchange: binanceusdm
  url: ${o.url}
  apiKey: \${RATCHET_API_KEY}
  secret: \${RATCHET_API_SECRET}
policy:
  initialStop: { percent: 2 }
  trailing: { percent: 1 }
protection:
  minIntervalSeconds: 0
  minImprovementPercent: 0
lanes:
  fastMs: 0
  normalMs: 0
  clockPeriodMs: 200
  maxPriceAgeMs: 1000
  pollIntervalMs: 250
dataDir: ${JSON.stringify(o.dataDir)}
clientIdPrefix: ${o.prefix}
`;
}

/** One engine log record (pino JSON on stderr). */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly position?: string;
  readonly type?: string;
  readonly [key: string]: unknown;
}

/** Returns the log record of a stderr line, or undefined when the line is not one. */
export function logRecord(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogRecord;
  } catch {
    return undefined;
  }
}

const COMMANDS = new Set(['placeStop', 'cancelStop', 'lookUpStop', 'closeAtMarket', 'lookUpClose']);
const ANSWERS = new Set([
  'stopLookedUp',
  'stopResting',
  'stopCancelled',
  'stopFired',
  'requestFailed',
  'closedAtMarket',
  'reconciled',
  'syncDone',
]);

/**
 * `ratchet run` as a separate process. Its config file is a named pipe: the process loads
 * every module, opens the pipe (`loaded` resolves) and then blocks reading it until `release`
 * writes the config. So the next engine can be made ready while the previous one still runs,
 * and let go the moment that one has exited. The order-sync records it logs tell which
 * position has a command in flight.
 */
export class EngineProcess {
  /** The last command logged per position, until an answer to it is logged. */
  readonly pending = new Map<string, string>();
  readonly records: LogRecord[] = [];
  /** Our end of the pipe; opening it completes when the process opens the other end. */
  private readonly writer: Promise<FileHandle>;
  private released = false;

  /** Whether the process has been given its config. */
  get started(): boolean {
    return this.released;
  }

  private constructor(
    readonly process: RatchetProcess,
    private readonly fifo: string,
    private readonly config: string,
  ) {
    this.writer = open(fifo, 'w');
    process.stderr.listen((line) => {
      const record = logRecord(line);
      if (record === undefined) return;
      this.records.push(record);
      const { position, type } = record;
      if (position === undefined || type === undefined) return;
      if (COMMANDS.has(type)) this.pending.set(position, type);
      else if (ANSWERS.has(type)) this.pending.delete(position);
    });
  }

  /**
   * Starts `ratchet run --config <fifo>` with the key pair in RATCHET_API_KEY/SECRET; it reads
   * `config` once `release` is called.
   */
  static spawn(
    dir: string,
    name: string,
    config: string,
    credentials: { apiKey: string; secret: string },
    env: Record<string, string | undefined> = {},
  ): EngineProcess {
    const fifo = join(dir, `${name}.yaml`);
    execFileSync('mkfifo', [fifo]);
    const p = new RatchetProcess(
      ['run', '--config', fifo],
      {
        RATCHET_API_KEY: credentials.apiKey,
        RATCHET_API_SECRET: credentials.secret,
        RATCHET_LOG_LEVEL: 'info',
        ...env,
      },
      ['--import', 'tsx', '--import', WARM],
    );
    return new EngineProcess(p, fifo, config);
  }

  /** Resolves once the process has loaded and is reading its config. */
  async loaded(): Promise<void> {
    await Promise.race([
      this.writer,
      this.process.exited.then((exit) => {
        throw new Error(
          `ratchet run exited (${exit.code ?? exit.signal}) before reading its config:\n${this.process.tail()}`,
        );
      }),
    ]);
  }

  /** Hands the config to the process; resolves with its readiness line on stdout. */
  async release(): Promise<string> {
    if (!this.released) {
      await this.loaded();
      this.released = true;
      const writer = await this.writer;
      await writer.writeFile(this.config);
      await writer.close();
    }
    return this.process.wait('stdout', (l) => l.startsWith('ratchet run: protecting'), 'readiness');
  }

  /** Kills the process if it still runs and lets go of the pipe. */
  async dispose(): Promise<void> {
    if (!this.process.done) await this.process.signal('SIGKILL');
    if (this.released) return;
    this.released = true;
    // A writer still waiting for a reader that died is freed by opening the read end ourselves.
    const reader = openSync(this.fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    await (await this.writer).close();
    closeSync(reader);
  }

  /** Whether every position's last logged command has been answered. */
  get idle(): boolean {
    return this.pending.size === 0;
  }

  /**
   * Resolves with the index (in `records`) of the first record from `from` on that `match`
   * accepts; rejects when the process exits first.
   */
  nextRecord(match: (r: LogRecord) => boolean, what: string, from: number): Promise<number> {
    const seen = this.records.findIndex((r, i) => i >= from && match(r));
    if (seen >= 0) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      // Records are appended by the constructor's listener, which runs before this one.
      let next = Math.max(from, this.records.length);
      const stop = this.process.stderr.listen(() => {
        while (next < this.records.length) {
          const i = next++;
          if (!match(this.records[i] as LogRecord)) continue;
          stop();
          resolve(i);
          return;
        }
      });
      void this.process.exited.then((exit) => {
        stop();
        reject(new Error(`ratchet run exited (${exit.code ?? exit.signal}) before ${what}`));
      });
    });
  }

  /**
   * Resolves once `check` (run now and again after every log line, one run at a time) returns
   * true; rejects with its message when it throws, or when the process exits first.
   */
  until(check: () => Promise<boolean>, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let running = false;
      let again = false;
      let finished = false;
      const finish = (error?: Error) => {
        if (finished) return;
        finished = true;
        stop();
        if (error === undefined) resolve();
        else reject(error);
      };
      const run = async (): Promise<void> => {
        if (finished) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            if (await check()) return finish();
          } while (again && !finished);
        } catch (error) {
          finish(error instanceof Error ? error : new Error(`${what}: ${JSON.stringify(error)}`));
        } finally {
          running = false;
        }
      };
      const stop = this.process.stderr.listen(() => void run());
      void this.process.exited.then((exit) =>
        finish(
          new Error(
            `ratchet run exited (${exit.code ?? exit.signal}) while waiting until ${what}:\n${this.process.tail()}`,
          ),
        ),
      );
      void run();
    });
  }
}

/** Returns the resting stops of ours (client id `<prefix>-…`) on `symbol`. */
export function ourStops(state: AdminState, prefix: string, symbol: string): AdminOrder[] {
  return state.openOrders.filter(
    (o) => o.symbol === symbol && o.clientAlgoId.startsWith(`${prefix}-`),
  );
}

/**
 * Resolves with the emulator's state once the engine has nothing in flight and the exchange
 * shows, per symbol of `targets`, exactly one stop of ours at that price (null: no stop of ours
 * and no position), and none of ours anywhere else. Checked after every engine log line;
 * rejects at once when a position that should have a stop is gone.
 */
export async function settled(
  engine: EngineProcess,
  em: EmulatorProcess,
  prefix: string,
  targets: Readonly<Record<string, string | null>>,
  what: string,
  seen?: (state: AdminState) => void,
): Promise<AdminState> {
  let last: AdminState | undefined;
  await engine.until(async () => {
    if (!engine.idle) return false;
    const state = await em.state();
    seen?.(state);
    last = state;
    for (const [symbol, target] of Object.entries(targets)) {
      const open = state.positions.some((p) => p.symbol === symbol);
      const stops = ourStops(state, prefix, symbol);
      if (target === null) {
        if (open || stops.length > 0) return false;
        continue;
      }
      if (!open) throw new Error(`${what}: the ${symbol} position is gone`);
      if (stops.length !== 1 || !new Decimal(target).eq(stops[0]?.triggerPrice ?? '0'))
        return false;
    }
    return !state.openOrders.some(
      (o) => o.clientAlgoId.startsWith(`${prefix}-`) && !(o.symbol in targets),
    );
  }, what);
  return last as AdminState;
}

/** One journal line with the position (or `<position>/sync`) it belongs to and its seq. */
export interface JournalLine {
  readonly positionId: string;
  readonly seq: number;
  readonly event: { readonly type: string; readonly ts: number; readonly [key: string]: unknown };
}

/**
 * Reads a data directory's journal through `ratchet journal`: the table gives each line's
 * position and seq, the jsonl output (the same entries in the same order) its exact event.
 */
export async function readJournal(dataDir: string): Promise<JournalLine[]> {
  // One after the other: a data directory is opened by one process at a time.
  const table = await runRatchet(['journal', '--data-dir', dataDir, '--format', 'table']);
  const jsonl = await runRatchet(['journal', '--data-dir', dataDir, '--format', 'jsonl']);
  if (table.code !== 0 || jsonl.code !== 0)
    throw new Error(`ratchet journal failed: ${table.stderr}\n${jsonl.stderr}`);
  const rows = table.stdout
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '');
  const events = jsonl.stdout.split('\n').filter((l) => l.trim() !== '');
  if (rows.length !== events.length)
    throw new Error(`the journal table has ${rows.length} rows, the jsonl ${events.length} lines`);
  return rows.map((row, i) => {
    const [positionId = '', seq = '', , type = ''] = row.split(/\s+/);
    const event = JSON.parse(events[i] as string) as JournalLine['event'];
    if (event.type !== type)
      throw new Error(`journal row ${i} is ${type} in the table but ${event.type} in jsonl`);
    return { positionId, seq: Number(seq), event };
  });
}

/** Returns the seed of a test (RATCHET_TEST_SEED, else `fallback`) and prints it. */
export function testSeed(label: string, fallback: number): number {
  const seed = Number(process.env['RATCHET_TEST_SEED'] ?? fallback);
  console.log(`${label}: seed ${seed} (RATCHET_TEST_SEED=${seed} repeats it)`);
  return seed;
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeIn(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Stops `engine` with SIGINT and checks it exits 0 saying that every stop stays resting. */
export async function stopGracefully(engine: EngineProcess, positions: number): Promise<void> {
  const exit = await engine.process.signal('SIGINT');
  expect(exit, engine.process.tail()).toEqual({ code: 0, signal: null });
  expect(engine.process.stdout.all.at(-1)).toBe(
    `ratchet run: stopped; ${positions} position(s) keep their resting stops.`,
  );
  const said = engine.process.stderr.all.map(logRecord).find((r) => r?.msg.startsWith('stopped'));
  expect(said?.msg).toBe(`stopped: ${positions} position(s) left protected by their resting stops`);
  expect(said?.['settled']).toBe(true);
}

/** Groups journal lines by position (and `<position>/sync`) and checks each group's seq runs 1..n. */
export function continuousJournal(journal: readonly JournalLine[]): Map<string, JournalLine[]> {
  const byId = new Map<string, JournalLine[]>();
  for (const line of journal)
    byId.set(line.positionId, [...(byId.get(line.positionId) ?? []), line]);
  for (const [id, lines] of byId)
    expect(
      lines.map((l) => l.seq),
      `${id}: seq 1..n`,
    ).toEqual(lines.map((_, i) => i + 1));
  return byId;
}

/** Returns the stop of the last `opened` or `stopMoved` line: where the position machine wants it. */
export function lastDesired(lines: readonly JournalLine[] | undefined): unknown {
  return (lines ?? [])
    .filter((l) => l.event.type === 'opened' || l.event.type === 'stopMoved')
    .at(-1)?.event['stop'];
}

/** Returns the id of the position on `symbol` the engine's log speaks of last. */
export function loggedPositionId(engine: EngineProcess, symbol: string): string {
  const id = engine.records.filter((r) => r.position?.includes(`:${symbol}:`)).at(-1)?.position;
  if (id === undefined) throw new Error(`the engine logged nothing about ${symbol}`);
  return id;
}
