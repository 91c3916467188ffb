import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Decimal } from 'decimal.js';
import { SYNC_COMMAND_TYPES } from '../src/machines/orderSyncTypes.ts';
import { positionStopId } from '../src/venues/bybit/bybitWire.ts';
import { startEmulator, type AdminState, type Emulator } from '../src/venues/emulator/index.ts';
import { createRandom, hashSeed } from '../src/venues/emulator/random.ts';
import { percentilesOf, type SoakReport } from './soakReport.ts';
import { countByKind, faultSchedule, type ScheduledFault, type SoakVenue } from './soakSchedule.ts';
import {
  AcknowledgedStops,
  tagOf,
  tighter,
  type EngineRecord,
  type ExchangeStop,
} from './soakStops.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/ratchet.mjs');
/** Preloaded into the engine: LevelDB writes fail while the flag file exists (a full disk). */
const STORE_FAULT = join(ROOT, 'bench/soakStoreFault.mjs');
/**
 * The emulator's routes that place, move, cancel or close, per wire format: none may be called
 * by a halted engine. On Bybit one trading-stop call sets, moves and clears a position's stop.
 */
const ORDER_ROUTES: Readonly<Record<SoakVenue, readonly string[]>> = {
  binance: ['POST /fapi/v1/algoOrder', 'DELETE /fapi/v1/algoOrder', 'POST /fapi/v1/order'],
  bybit: ['POST /v5/position/trading-stop', 'POST /v5/order/create', 'POST /v5/order/cancel'],
};
/** The engine's `venue.exchange` (a ccxt id) for each wire format. */
const EXCHANGE_IDS: Readonly<Record<SoakVenue, string>> = {
  binance: 'binanceusdm',
  bybit: 'bybit',
};
const PREFIX = 'rtsoak';

/** The symbols a soak trades, in order, with a start price and the size of one position. */
const BOOK = [
  { symbol: 'BTCUSDT', price: '60000', quantity: '0.01' },
  { symbol: 'ETHUSDT', price: '3000', quantity: '0.5' },
  { symbol: 'SOLUSDT', price: '150', quantity: '10' },
  { symbol: 'BNBUSDT', price: '600', quantity: '2' },
  { symbol: 'XRPUSDT', price: '0.6', quantity: '1000' },
  { symbol: 'ADAUSDT', price: '0.45', quantity: '1000' },
] as const;

/**
 * How long a position's best stop may look looser than the acknowledged one before it counts:
 * the engine's log (what it acknowledged) may trail the exchange on a loaded machine.
 */
const LOOSER_FOR_MS = 2000;

/** The most positions (symbols) a soak can hold at once. */
export const MAX_POSITIONS = BOOK.length;

/** What a soak does. */
export interface SoakOptions {
  readonly seed: number;
  /** The wire format the engine trades through (default binance). */
  readonly venue?: SoakVenue;
  /** Soak time: faults and trading run this long; checkpoints pause it. */
  readonly durationMs: number;
  /** Positions (one per symbol) open at once, 1..MAX_POSITIONS. */
  readonly positions: number;
  /** Soak time between two checkpoints (settle and count), default 15 s. */
  readonly checkpointEveryMs?: number;
  /** How long a checkpoint waits for the engine to settle before it counts what it sees. */
  readonly settleBoundMs?: number;
  /** Called about every second of soak time. */
  readonly onProgress?: (p: { atMs: number; durationMs: number; line: string }) => void;
  /** Where the soak says what happens (kills, checkpoints); silent when omitted. */
  readonly log?: (line: string) => void;
}

type LogRecord = EngineRecord;

const ANSWERS = new Set([
  'stopResting',
  'stopAmended',
  'stopCancelled',
  'stopFired',
  'requestFailed',
  'closedAtMarket',
  'reconciled',
  'syncDone',
]);

/** One `ratchet run` process; its log records are handed to `onRecord` as they arrive. */
class Engine {
  readonly child: ChildProcess;
  readonly pending = new Map<string, string>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly ready: Promise<boolean>;
  private readonly tailLines: string[] = [];
  up = false;
  done = false;

  /** Set once the engine said it halted because a step could not be recorded. */
  halted = false;
  /** The signal that ended it, once it has ended (null: it exited by itself). */
  exitSignal: NodeJS.Signals | null = null;

  constructor(
    config: string,
    em: Emulator,
    storeFlag: string,
    logFile: string,
    onRecord: (r: LogRecord) => void,
  ) {
    this.child = spawn('node', ['--import', STORE_FAULT, BIN, 'run', '--config', config], {
      cwd: ROOT,
      env: {
        ...process.env,
        RATCHET_API_KEY: em.apiKey,
        RATCHET_API_SECRET: em.secret,
        RATCHET_LOG_LEVEL: 'info',
        RATCHET_SOAK_STORE_FAULT: storeFlag,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => {
        this.done = true;
        this.up = false;
        this.exitSignal = signal;
        resolve({ code, signal });
      }),
    );
    const stdout = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
    this.ready = new Promise((resolve) => {
      stdout.on('line', (line) => {
        this.tail(line);
        if (line.startsWith('ratchet run: protecting')) {
          this.up = true;
          resolve(true);
        }
      });
      void this.exited.then(() => resolve(false));
    });
    // Every engine's log, one after another, for the post-mortem of a finding.
    const saved = createWriteStream(logFile, { flags: 'a' });
    void this.exited.then(() => saved.end());
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.tail(line);
      saved.write(`${line}\n`);
      if (!line.startsWith('{')) return;
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        return;
      }
      const { position, type } = record;
      if (record.alert === 'storeFailed') this.halted = true;
      if (position !== undefined && type !== undefined) {
        if (SYNC_COMMAND_TYPES.has(type)) this.pending.set(position, type);
        else if (ANSWERS.has(type)) this.pending.delete(position);
      }
      onRecord(record);
    });
  }

  private tail(line: string): void {
    this.tailLines.push(line);
    if (this.tailLines.length > 40) this.tailLines.shift();
  }

  /** The last lines it wrote. */
  lastLines(): string {
    return this.tailLines.join('\n');
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.up = false;
    if (!this.done) this.child.kill(signal);
    return this.exited;
  }

  /** Stops it as a supervisor would: SIGTERM, then SIGKILL if it has not exited in `boundMs`. */
  async stop(boundMs: number): Promise<void> {
    this.up = false;
    if (!this.done) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), boundMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function engineConfig(
  venue: SoakVenue,
  url: string,
  dataDir: string,
  symbols: readonly string[],
): string {
  return `venue:
  exchange: ${EXCHANGE_IDS[venue]}
  url: ${url}
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
symbols: [${symbols.join(', ')}]
dataDir: ${JSON.stringify(dataDir)}
clientIdPrefix: ${PREFIX}
`;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `node bin/ratchet.mjs …args` to its end; resolves with its exit code and stdout. */
function runRatchet(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** Checks that each position's journal (and its `/sync` part) has seq 1..n; returns the problems. */
export function journalGaps(table: string): { lines: number; gaps: string[] } {
  const rows = table
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '');
  const last = new Map<string, number>();
  const gaps: string[] = [];
  for (const row of rows) {
    const [id = '', seqText = ''] = row.trim().split(/\s+/);
    const seq = Number(seqText);
    const expected = (last.get(id) ?? 0) + 1;
    if (seq !== expected) gaps.push(`${id}: seq ${seq} where ${expected} was due`);
    last.set(id, seq);
  }
  return { lines: rows.length, gaps };
}

/**
 * Returns, per symbol, the stop of the last `opened` or `stopMoved` journal line of the position
 * opened last on it, from `ratchet journal`'s table (ids) and jsonl (events) of the same entries.
 */
export function lastDesiredStops(table: string, jsonl: string): Map<string, string> {
  const ids = table
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((row) => row.trim().split(/\s+/)[0] ?? '');
  const events = jsonl.split('\n').filter((l) => l.trim() !== '');
  const latest = new Map<string, { openedAt: number; stop: string }>();
  events.forEach((line, i) => {
    const id = ids[i] ?? '';
    const event = JSON.parse(line) as { type: string; ts: number; stop?: string };
    if (id.endsWith('/sync') || (event.type !== 'opened' && event.type !== 'stopMoved')) return;
    const symbol = id.split(':').find((part) => /^[A-Z0-9]+USDT$/.test(part));
    if (symbol === undefined || event.stop === undefined) return;
    const seen = latest.get(`${symbol}|${id}`);
    latest.set(`${symbol}|${id}`, {
      openedAt: event.type === 'opened' ? event.ts : (seen?.openedAt ?? event.ts),
      stop: event.stop,
    });
  });
  const bySymbol = new Map<string, { openedAt: number; stop: string }>();
  for (const [key, value] of latest) {
    const symbol = key.split('|')[0] as string;
    const best = bySymbol.get(symbol);
    if (best === undefined || value.openedAt >= best.openedAt) bySymbol.set(symbol, value);
  }
  return new Map([...bySymbol].map(([symbol, v]) => [symbol, v.stop]));
}

/** What the engine is doing, for the attribution of naked time. */
type EngineState = 'running' | 'down' | 'halted';

/**
 * Runs one chaos soak: an in-process emulator whose prices walk (seeded, with spikes and
 * gaps), positions opened and closed over time, the real `ratchet run` as a child process, and
 * the seeded fault schedule including SIGKILLs and a failing store; returns the report.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { seed, durationMs } = options;
  const venue = options.venue ?? 'binance';
  const log = options.log ?? (() => undefined);
  const random = createRandom(hashSeed(seed, 'soak'));
  const book = BOOK.slice(0, Math.max(1, Math.min(MAX_POSITIONS, options.positions)));
  const symbols: string[] = book.map((b) => b.symbol);
  const schedule = faultSchedule(seed, durationMs, { venue });
  const checkpointEvery = options.checkpointEveryMs ?? 15_000;
  const settleBound = options.settleBoundMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-soak-'));
  const dataDir = join(dir, 'data');
  const storeFlag = join(dir, 'disk-full');
  const engineLog = join(dir, 'engine.log');
  const em = await startEmulator({
    port: 0,
    symbols,
    seed,
    startPrices: Object.fromEntries(book.map((b) => [b.symbol, b.price])),
    feed: { kind: 'none' },
  });
  const configPath = join(dir, 'engine.yaml');
  writeFileSync(configPath, engineConfig(venue, em.restUrl, dataDir, symbols));
  log(`soak seed ${seed} on ${venue}: data in ${dataDir}, engine log in ${engineLog}`);

  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < 50) problems.push(text);
    log(`PROBLEM ${text}`);
  };
  const alerts: Record<string, number> = {};
  const latencies: number[] = [];
  /** Decision latencies finished since the last sample, for the latency chart. */
  let sampleLatencyMax = 0;
  /** Per symbol: wall time of the first price set since its stop last rested. */
  const movedAt = new Map<string, number>();
  const acknowledged = new AcknowledgedStops((id) =>
    venue === 'bybit'
      ? // The adapter names a position's stop `<symbol>:sl`.
        em.exchange.positionStop(id.replace(/:sl$/, ''))?.triggerPrice.toString()
      : em.exchange.findAlgo(Number(id), undefined)?.triggerPrice?.toString(),
  );
  let closedByEngine = 0;
  const onRecord = (r: LogRecord) => {
    if (r.level >= 50) {
      const key = r.alert ?? r.msg;
      alerts[key] = (alerts[key] ?? 0) + 1;
    }
    acknowledged.record(r);
    if (r.type === 'closedAtMarket') closedByEngine += 1;
    // A stop rests after a placement, or after an amend where the venue moves stops in place.
    if ((r.type === 'stopResting' || r.type === 'stopAmended') && r.position !== undefined) {
      const symbol = symbols.find((s) => r.position?.includes(`:${s}:`));
      const since = symbol === undefined ? undefined : movedAt.get(symbol);
      if (symbol !== undefined && since !== undefined && typeof r.time === 'number') {
        const ms = Math.max(0, r.time - since);
        if (latencies.length < 200_000) latencies.push(ms);
        sampleLatencyMax = Math.max(sampleLatencyMax, ms);
        movedAt.delete(symbol);
      }
    }
  };

  let engine = undefined as unknown as Engine;
  let restarting: Promise<void> | undefined;
  let kills = 0;
  let supervisorRestarts = 0;
  let storeHalts = 0;
  let ordersWhileHalted = 0;
  const prices = new Map<string, Decimal>(book.map((b) => [b.symbol, new Decimal(b.price)]));
  const frozenUntil = new Map<string, number>();
  /** Per symbol: soak time until which an injected frozen market lets nothing trade. */
  const marketFrozenUntil = new Map<string, number>();
  /** Per symbol: when the test closes its position, or reopens one when flat. */
  const plan = new Map<string, { open: boolean; atMs: number }>();
  let opened = 0;
  let closedByTest = 0;
  let closedFlat = 0;
  /** Per position: the own-stop and first-cover unprotected ms seen at the last look. */
  const naked = new Map<string, { own: number; any: number }>();
  const borrowed = new Set<string>();
  const nakedBy: Record<EngineState, number> = { running: 0, down: 0, halted: 0 };
  let borrowedMs = 0;
  let borrowedPositions = 0;
  /** Per position naked while running: its total so far and its line in `problems`. */
  const nakedRunning = new Map<string, { ms: number; index: number }>();
  const samples: SoakReport['samples'] = [];
  const faultLog: SoakReport['faultLog'] = [];
  const injected = countByKind([]);
  let positionMs = 0;
  let lost = 0;
  let duplicates = 0;
  let orphans = 0;
  let unsettled = 0;
  let checkpoints = 0;
  let startFailures = 0;
  let looserStops = 0;

  const tick = (symbol: string) => new Decimal(em.exchange.book(symbol).spec.tickSize);
  const setPrice = (symbol: string, price: Decimal) => {
    const t = tick(symbol);
    const rounded = Decimal.max(t, price.div(t).round().times(t));
    prices.set(symbol, rounded);
    if (!movedAt.has(symbol) && engine.up) movedAt.set(symbol, Date.now());
    em.setPrice(symbol, rounded.toString());
  };

  const engineState = (): EngineState =>
    engine === undefined || !engine.up || restarting !== undefined
      ? 'down'
      : engine.halted
        ? 'halted'
        : 'running';
  /** The engine's state at the previous look: a change in between is not "running". */
  let lastState: EngineState = 'down';

  /**
   * Adds the naked ms every position gained since the last look, attributed to what the engine
   * was doing: "running" only if it ran at both looks (the issue's target), else down or halted.
   */
  const lookAtNaked = (): number => {
    const now = engineState();
    const state: EngineState =
      now === 'running' && lastState === 'running'
        ? 'running'
        : now === 'halted' || lastState === 'halted'
          ? 'halted'
          : 'down';
    lastState = now;
    for (const p of em.exchange.protection.records(em.exchange.clock.now())) {
      const key = `${p.symbol}:${p.openedAt}`;
      const seen = naked.get(key) ?? { own: 0, any: 0 };
      const lostCover =
        p.unprotectedMsSinceFirstProtected - p.unprotectedMsSinceOwnStop - (seen.any - seen.own);
      if (lostCover > 0) {
        if (!borrowed.has(key)) {
          borrowedPositions += 1;
          log(
            `${p.symbol} (opened ${p.openedAt}) lost the cover of a predecessor's leftover stop before its own first stop rested`,
          );
        }
        borrowed.add(key);
        if (borrowed.size > 5000) borrowed.delete(borrowed.values().next().value as string);
        borrowedMs += lostCover;
      }
      naked.set(key, { own: p.unprotectedMsSinceOwnStop, any: p.unprotectedMsSinceFirstProtected });
      // Bounded: a closed position's record is final; forget the oldest ones.
      if (naked.size > 5000) naked.delete(naked.keys().next().value as string);
      if (p.unprotectedMsSinceOwnStop <= seen.own) continue;
      const gained = p.unprotectedMsSinceOwnStop - seen.own;
      nakedBy[state] += gained;
      if (state === 'running') {
        // One problem per position, kept up to date: a long gap must not crowd out the others.
        const running = (nakedRunning.get(key)?.ms ?? 0) + gained;
        const text = `${p.symbol} (opened ${p.openedAt}) naked ${running} ms while the engine ran`;
        const shown = nakedRunning.get(key);
        if (shown === undefined) {
          problem(text);
          nakedRunning.set(key, { ms: running, index: problems.length - 1 });
        } else {
          shown.ms = running;
          if (problems[shown.index]?.startsWith(`${p.symbol} (opened ${p.openedAt})`) === true)
            problems[shown.index] = text;
        }
        if (nakedRunning.size > 1000)
          nakedRunning.delete(nakedRunning.keys().next().value as string);
      }
    }
    return nakedBy.running;
  };

  /**
   * Our stops on the exchange now: conditional orders with our client id and, on Bybit, every
   * position's own stop (the account is the engine's alone, and Bybit's stop has no client id).
   */
  const ourStops = (): ExchangeStop[] => {
    const algos = em.exchange
      .openAlgos()
      .filter((a) => a.clientAlgoId.startsWith(`${PREFIX}-`) && a.triggerPrice !== undefined)
      .map((a) => ({
        symbol: a.symbol,
        algoId: String(a.algoId),
        clientId: a.clientAlgoId,
        stopPrice: (a.triggerPrice as Decimal).toString(),
      }));
    if (venue !== 'bybit') return algos;
    const own = symbols.flatMap((symbol) => {
      const stop = em.exchange.positionStop(symbol);
      return stop === undefined
        ? []
        : [
            {
              symbol,
              algoId: positionStopId(symbol),
              clientId: '',
              stopPrice: stop.triggerPrice.toString(),
            },
          ];
    });
    return [...own, ...algos];
  };
  /** The same from an `/admin/state` snapshot, so one look sees positions and stops together. */
  const stopsIn = (s: AdminState): ExchangeStop[] => [
    ...(venue === 'bybit'
      ? s.positions.flatMap((p) =>
          p.positionStop === null
            ? []
            : [
                {
                  symbol: p.symbol,
                  algoId: positionStopId(p.symbol),
                  clientId: '',
                  stopPrice: p.positionStop.stopPrice,
                },
              ],
        )
      : []),
    ...s.openOrders
      .filter((o) => String(o['clientAlgoId']).startsWith(`${PREFIX}-`))
      .map((o) => ({
        symbol: String(o['symbol']),
        algoId: String(o['algoId']),
        clientId: String(o['clientAlgoId']),
        stopPrice: String(o['triggerPrice']),
      })),
  ];
  /** The exchange's position generation per symbol: side and opening time of the open one. */
  const generation = (symbol: string): string | undefined => {
    const r = em.exchange.protection.openRecord(symbol, em.exchange.clock.now());
    return r === undefined ? undefined : `${r.side}:${r.openedAt}`;
  };
  /** Per position tag: the generation its first stop was seen in (a bounded map). */
  const tagGeneration = new Map<string, string>();
  /** Per position: since when its exchange stops have looked looser than acknowledged. */
  const looserSince = new Map<string, number>();
  const flaggedLooser = new Set<string>();
  /**
   * Every stop of ours must be at least as tight as the one the engine last acknowledged for
   * its position; one seen looser for a second while the engine runs is a finding.
   */
  const lookAtStops = (nowMs: number) => {
    const stops = ourStops();
    for (const s of stops) {
      const tag = tagOf(s.clientId);
      const gen = generation(s.symbol);
      if (tag === undefined || gen === undefined || tagGeneration.has(tag)) continue;
      tagGeneration.set(tag, gen);
      if (tagGeneration.size > 5000)
        tagGeneration.delete(tagGeneration.keys().next().value as string);
    }
    if (engineState() !== 'running') {
      looserSince.clear();
      return;
    }
    const openSides = new Map<string, 'long' | 'short'>();
    for (const b of book) {
      const amount = em.exchange.position(b.symbol).amount;
      if (!amount.isZero()) openSides.set(b.symbol, amount.isPos() ? 'long' : 'short');
    }
    const found = acknowledged.looser(openSides, stops, (position, tag) => {
      if (engine.pending.has(position)) return true;
      const [, symbol = '', ...rest] = position.split(':');
      // A Bybit position's id ends in its side and opening time, the exchange's generation;
      // a Binance one is told by the generation its first stop was seen in.
      const gen = venue === 'bybit' ? rest.join(':') : tagGeneration.get(tag);
      return gen === undefined || gen !== generation(symbol);
    });
    const seen = new Set<string>();
    for (const f of found) {
      const key = `${f.position}|${f.acknowledged}`;
      seen.add(key);
      const since = looserSince.get(key) ?? nowMs;
      looserSince.set(key, since);
      if (nowMs - since >= LOOSER_FOR_MS && !flaggedLooser.has(key)) {
        flaggedLooser.add(key);
        looserStops += 1;
        problem(
          `${f.symbol}: our best stop on the exchange is ${f.onExchange}, looser than the ${f.acknowledged} the engine acknowledged (position ${f.position})`,
        );
      }
    }
    for (const key of [...looserSince.keys()]) if (!seen.has(key)) looserSince.delete(key);
    if (flaggedLooser.size > 1000) flaggedLooser.clear();
  };

  // Standing faults (latency, error rates, skew, frozen streams) last for their window; the
  // others act once.
  let active: ScheduledFault[] = [];
  const symbolsOf = (f: ScheduledFault): string[] => {
    const which = Number(f.params['symbol']);
    return which < 0 ? symbols : [symbols[which % symbols.length] as string];
  };
  const applyStanding = () => {
    const latency = Math.max(
      0,
      ...active.filter((f) => f.kind === 'latency').map((f) => Number(f.params['ms'])),
    );
    const errorRate: Record<string, number> = {};
    for (const f of schedule)
      if (f.kind === 'errorRate') errorRate[String(f.params['endpoint'])] = 0;
    for (const f of active)
      if (f.kind === 'errorRate') {
        const key = String(f.params['endpoint']);
        errorRate[key] = Math.max(errorRate[key] ?? 0, Number(f.params['rate']));
      }
    const skew = active.filter((f) => f.kind === 'clockSkew').at(-1);
    const frozen = new Set(
      active
        .filter((f) => f.kind === 'frozenFeed' && f.params['mode'] === 'stream')
        .flatMap(symbolsOf),
    );
    em.injectFaults({
      latencyMs: latency,
      errorRate,
      clockSkewMs: skew === undefined ? 0 : Number(skew.params['ms']),
      frozenStreams: [...frozen],
    });
  };

  /**
   * Starts engines until one is ready, as a supervisor would: an engine that exits at start
   * (the venue refused it) is a finding, not the end of the soak.
   */
  const startEngine = async () => {
    for (let attempt = 1; ; attempt++) {
      engine = new Engine(configPath, em, storeFlag, engineLog, onRecord);
      if (await engine.ready) return;
      startFailures += 1;
      const said = engine
        .lastLines()
        .split('\n')
        .filter((l) => l.startsWith('ratchet:'))
        .join(' ');
      log(`the engine exited at start (attempt ${attempt}): ${said}`);
      if (attempt >= 20) throw new Error(`ratchet run did not start:\n${engine.lastLines()}`);
      await delay(1000);
    }
  };

  const restart = (pauseMs: number) => {
    kills += 1;
    movedAt.clear();
    const killed = engine;
    restarting = (async () => {
      await killed.kill('SIGKILL');
      log(`engine SIGKILLed; restarting in ${pauseMs} ms`);
      await delay(pauseMs);
      await startEngine();
      restarting = undefined;
    })();
  };

  /** The disk is full until `untilMs` (soak time); order calls are counted from the halt on. */
  let storeFault:
    | {
        untilMs: number;
        pauseMs: number;
        haltSeenAt: number | undefined;
        ordersAtHalt: number | undefined;
      }
    | undefined;
  const orderCalls = () => ORDER_ROUTES[venue].reduce((n, r) => n + em.counter.servedOn(r), 0);
  /**
   * Ends a full disk: the flag goes, and an engine that halted is stopped and started again as
   * a supervisor would (its restart is what lets it record and act again).
   */
  const endStoreFault = (): void => {
    const fault = storeFault;
    if (fault === undefined) return;
    storeFault = undefined;
    rmSync(storeFlag, { force: true });
    if (restarting !== undefined) {
      // A kill came meanwhile: the engine being started finds a disk with room.
      log('disk full ended while the engine was restarting');
      return;
    }
    if (!engine.halted) {
      log('disk full ended; the engine wrote nothing meanwhile and did not halt');
      return;
    }
    const after = orderCalls() - (fault.ordersAtHalt ?? orderCalls());
    if (after > 0) {
      ordersWhileHalted += after;
      problem(`${after} order call(s) reached the exchange after the engine halted`);
    }
    supervisorRestarts += 1;
    movedAt.clear();
    const halted = engine;
    restarting = (async () => {
      const stopping = Date.now();
      await halted.stop(10_000);
      log(
        `halted engine stopped in ${Date.now() - stopping} ms (${halted.exitSignal ?? 'exited'}); restarting in ${fault.pauseMs} ms`,
      );
      await delay(fault.pauseMs);
      await startEngine();
      restarting = undefined;
    })();
  };

  const inject = (f: ScheduledFault): boolean => {
    switch (f.kind) {
      case 'latency':
      case 'errorRate':
      case 'clockSkew':
        active.push(f);
        applyStanding();
        return true;
      case 'frozenFeed':
        if (f.params['mode'] === 'stream') {
          active.push(f);
          applyStanding();
        } else for (const symbol of symbolsOf(f)) marketFrozenUntil.set(symbol, f.atMs + f.forMs);
        return true;
      case 'burst429':
        em.injectFaults({
          burst429: {
            requests: Number(f.params['requests']),
            retryAfterSec: Number(f.params['retryAfterSec']),
          },
        });
        return true;
      case 'lostResponse':
        em.injectFaults({
          lostResponse: {
            count: Number(f.params['count']),
            mode: f.params['mode'] === 'reset' ? 'reset' : 'hold',
          },
        });
        return true;
      case 'reject':
        em.injectFaults({
          reject: {
            count: Number(f.params['count']),
            code: Number(f.params['code']),
            msg: String(f.params['msg']),
          },
        });
        return true;
      case 'wsDisconnect':
        em.injectFaults({ wsDisconnect: true });
        return true;
      case 'kill':
        if (restarting !== undefined || !engine.up) return false;
        restart(Number(f.params['pauseMs']));
        return true;
      case 'storeFault':
        if (restarting !== undefined || !engine.up || storeFault !== undefined) return false;
        writeFileSync(storeFlag, '');
        storeFault = {
          untilMs: f.atMs + f.forMs,
          pauseMs: Number(f.params['pauseMs']),
          haltSeenAt: undefined,
          ordersAtHalt: undefined,
        };
        return true;
    }
  };

  /** Clears faults, waits until the engine is idle with one stop per position, and counts. */
  const checkpoint = async (label: string) => {
    checkpoints += 1;
    active = [];
    marketFrozenUntil.clear();
    em.injectFaults({ clear: true });
    endStoreFault();
    if (restarting !== undefined) await restarting;
    if (!engine.up && !(await engine.ready)) await startEngine();
    const deadline = Date.now() + settleBound;
    let state = em.state();
    const stopsOf = (s: AdminState, symbol: string) =>
      stopsIn(s).filter((o) => o.symbol === symbol);
    // A look-up that finds nothing to do logs no answer, so a command still "pending" on a
    // symbol with no position is not waited for.
    const inFlight = (s: AdminState) =>
      [...engine.pending.keys()].filter((id) =>
        s.positions.some((p) => id.includes(`:${p.symbol}:`)),
      );
    const converged = (s: AdminState) =>
      inFlight(s).length === 0 && s.positions.every((p) => stopsOf(s, p.symbol).length === 1);
    // With prices: a Bybit stop moves in place, under the same id.
    const orderIds = (s: AdminState) =>
      stopsIn(s)
        .map((o) => `${o.algoId}@${o.stopPrice}`)
        .join(',');
    // Settled means converged twice, 300 ms apart, with the same stops: an engine still
    // catching up on earlier prices passes through converged states between two moves. The
    // pause also lets the engine's log catch up with the exchange before comparing the two.
    for (;;) {
      while (!converged(state) && Date.now() < deadline && !engine.done) {
        await delay(100);
        lookAtNaked();
        lookAtStops(Date.now());
        state = em.state();
      }
      if (!converged(state) || Date.now() >= deadline || engine.done) break;
      const seen = orderIds(state);
      await delay(300);
      state = em.state();
      if (converged(state) && orderIds(state) === seen) break;
    }
    if (!converged(state)) {
      unsettled += 1;
      problem(
        `${label}: not settled after ${settleBound} ms (pending ${[...engine.pending.values()].join(',')})`,
      );
    }
    for (const p of state.positions) {
      const stops = stopsOf(state, p.symbol);
      const n = stops.length;
      if (n === 0) {
        lost += 1;
        problem(`${label}: ${p.symbol} open with no stop of ours`);
      } else if (n > 1) {
        duplicates += 1;
        // Which orders, so the engine's log tells whose they are.
        problem(
          `${label}: ${p.symbol} has ${n} stops of ours: ${stops.map((o) => `${o.clientId} (${o.algoId}) at ${o.stopPrice}`).join(', ')}`,
        );
      } else {
        // Settled: the one stop is exactly the one the engine last acknowledged for it: by
        // order id, or for a Bybit position's stop (one id for all its moves) by id and price
        // under this very position (its id: venue, symbol, side, opening time).
        const only = stops[0] as ExchangeStop;
        const id = only.algoId;
        const positionId = `bybit:${p.symbol}:${p.side}:${p.openedAt}`;
        const isPositionStop = venue === 'bybit' && id === positionStopId(p.symbol);
        const isAcknowledged = () => {
          if (!isPositionStop) return acknowledged.ownerOf(id) !== undefined;
          const ack = acknowledged.resting(positionId);
          return ack?.id === id && new Decimal(ack.stopPrice).eq(only.stopPrice);
        };
        // The engine's log may trail the exchange on a loaded machine: wait for it, bounded.
        const logDeadline = Math.max(deadline, Date.now() + 5000);
        while (!isAcknowledged() && Date.now() < logDeadline && !engine.done) await delay(100);
        if (!isAcknowledged())
          problem(
            isPositionStop
              ? `${label}: ${p.symbol}'s position stop at ${only.stopPrice} is not the one the engine acknowledged for ${positionId} (${acknowledged.resting(positionId)?.stopPrice ?? 'none'})`
              : `${label}: ${p.symbol}'s stop ${id} at ${only.stopPrice} is not one the engine acknowledged as resting`,
          );
      }
    }
    for (const symbol of symbols)
      if (!state.positions.some((p) => p.symbol === symbol) && stopsOf(state, symbol).length > 0)
        orphans += 1;
    lookAtNaked();
    log(`${label}: settled, ${state.positions.length} position(s) each with one stop`);
  };

  const started = Date.now();
  let soakMs = 0;
  let next = 0;
  let nextSample = 0;
  let nextCheckpoint = checkpointEvery;
  await startEngine();
  lastState = engineState();
  let last = Date.now();
  while (soakMs < durationMs) {
    await delay(100);
    const now = Date.now();
    const dt = now - last;
    last = now;
    soakMs += dt;

    while (next < schedule.length && (schedule[next] as ScheduledFault).atMs <= soakMs) {
      const f = schedule[next++] as ScheduledFault;
      if (inject(f)) {
        injected[f.kind] += 1;
        if (faultLog.length < 5000) faultLog.push({ atMs: f.atMs, kind: f.kind, forMs: f.forMs });
        log(`fault at ${Math.round(soakMs)} ms: ${f.kind} ${JSON.stringify(f.params)}`);
      }
    }
    const before = active.length;
    active = active.filter((f) => f.atMs + f.forMs > soakMs);
    if (active.length !== before) applyStanding();
    if (restarting === undefined && engine.done) {
      // Nothing of ours stopped it: an engine that ends by itself is a finding, then restarted.
      const { code, signal } = await engine.exited;
      problem(`the engine exited by itself (${code ?? signal}); restarting it`);
      movedAt.clear();
      restarting = (async () => {
        await startEngine();
        restarting = undefined;
      })();
    }
    if (storeFault !== undefined) {
      if (engine.halted && storeFault.haltSeenAt === undefined) {
        storeHalts += 1;
        storeFault.haltSeenAt = soakMs;
        log('the engine halted on the full disk');
      }
      // Calls sent before the halt may still be arriving: count from a moment later.
      const seen = storeFault.haltSeenAt;
      if (seen !== undefined && storeFault.ordersAtHalt === undefined && soakMs >= seen + 300)
        storeFault.ordersAtHalt = orderCalls();
      if (soakMs >= storeFault.untilMs) endStoreFault();
    }

    for (const b of book) {
      const symbol = b.symbol;
      const amount = em.exchange.position(symbol).amount;
      const p = plan.get(symbol);
      if (p === undefined || (p.open && amount.isZero())) {
        if (p?.open === true) closedFlat += 1;
        plan.set(symbol, { open: false, atMs: soakMs + random.int(500, 4000) });
      } else if (!p.open && soakMs >= p.atMs && amount.isZero()) {
        em.openPosition(symbol, random.next() < 0.5 ? 'long' : 'short', b.quantity);
        opened += 1;
        plan.set(symbol, { open: true, atMs: soakMs + random.int(8000, 40_000) });
      } else if (p.open && soakMs >= p.atMs && !amount.isZero()) {
        em.closePosition(symbol);
        closedByTest += 1;
        plan.set(symbol, { open: false, atMs: soakMs + random.int(500, 4000) });
      }
      // The walk: small steps, a rare spike of 1.5-3 %, a rare gap of a few seconds; nothing
      // trades on a symbol whose market an injected fault froze.
      const frozen =
        (frozenUntil.get(symbol) ?? 0) > soakMs || (marketFrozenUntil.get(symbol) ?? 0) > soakMs;
      if (frozen || random.next() < 0.5) continue;
      const price = prices.get(symbol) as Decimal;
      const roll = random.next();
      if (roll < 0.002) frozenUntil.set(symbol, soakMs + random.int(2000, 6000));
      else if (roll < 0.006) {
        const by = (random.int(15, 30) / 1000) * (random.next() < 0.5 ? -1 : 1);
        setPrice(symbol, price.times(1 + by));
      } else setPrice(symbol, price.times(1 + random.normal() * 0.001));
    }
    positionMs += dt * symbols.filter((s) => !em.exchange.position(s).amount.isZero()).length;
    lookAtNaked();
    lookAtStops(now);

    if (soakMs >= nextSample) {
      nextSample += 1000;
      samples.push({
        atMs: Math.round(soakMs),
        openPositions: symbols.filter((s) => !em.exchange.position(s).amount.isZero()).length,
        nakedMs: nakedBy.running,
        requests: em.counter.served(),
        engineUp: engine.up,
        engineState: engineState(),
        latencyMaxMs: sampleLatencyMax,
      });
      sampleLatencyMax = 0;
      // Bounded: past 2000 samples every other one is dropped.
      if (samples.length > 2000)
        for (let i = samples.length - 2; i > 0; i -= 2) samples.splice(i, 1);
      options.onProgress?.({
        atMs: soakMs,
        durationMs,
        line: `${engineState()} · faults ${faultLog.length} · kills ${kills} · naked ${nakedBy.running} ms · lost ${lost} · dup ${duplicates}`,
      });
    }
    if (soakMs >= nextCheckpoint && soakMs < durationMs) {
      nextCheckpoint += checkpointEvery;
      const pause = Date.now();
      await checkpoint(`checkpoint at ${Math.round(soakMs / 1000)} s`);
      last += Date.now() - pause;
    }
  }

  await checkpoint('the end');
  const endState = em.state();
  const openAtEnd = endState.positions.length;
  const requests = em.counter.served();
  const firstProtection = endState.protection
    .filter((p) => p.firstOwnStopAt !== null)
    .map((p) => (p.firstOwnStopAt as number) - p.openedAt);
  const exit = await engine.kill('SIGINT');
  if (exit.code !== 0) problem(`ratchet run exited ${exit.code ?? exit.signal} on SIGINT`);
  await em.close();
  if (existsSync(storeFlag)) rmSync(storeFlag);
  const journal = await runRatchet(['journal', '--data-dir', dataDir, '--format', 'table']);
  const { lines, gaps } = journalGaps(journal.stdout);
  if (journal.code !== 0) problem(`ratchet journal exited ${journal.code}`);
  for (const gap of gaps.slice(0, 10)) problem(`journal: ${gap}`);
  const jsonl = await runRatchet(['journal', '--data-dir', dataDir, '--format', 'jsonl']);
  const desired = lastDesiredStops(journal.stdout, jsonl.stdout);
  for (const p of endState.positions) {
    const want = desired.get(p.symbol);
    const stops = stopsIn(endState)
      .filter((o) => o.symbol === p.symbol)
      .map((o) => o.stopPrice);
    // Equal, or tighter: a stop adopted from a predecessor across a restart is never loosened.
    const only = stops[0];
    const side = p.side === 'short' ? 'short' : 'long';
    if (want === undefined || only === undefined || stops.length !== 1 || tighter(want, only, side))
      problem(
        `${p.symbol}: the exchange holds our stop(s) [${stops.join(', ')}] but the journal's last desired stop is ${want ?? 'none'}`,
      );
    else if (!new Decimal(want).eq(only))
      log(`${p.symbol}: our stop ${only} is tighter than the journal's last desired stop ${want}`);
  }

  const positionHours = positionMs / 3_600_000;
  return {
    version: 2,
    venue,
    seed,
    durationMs,
    wallMs: Date.now() - started,
    symbols,
    positions: {
      opened,
      closedByStop: Math.max(0, closedFlat - closedByEngine),
      closedByTest,
      closedByEngine,
      openAtEnd,
      positionHours,
    },
    faults: injected,
    faultsScheduled: countByKind(schedule),
    faultLog,
    kills,
    startFailures,
    supervisorRestarts,
    storeHalts,
    ordersWhileHalted,
    checkpoints,
    nakedMs: nakedBy.running,
    nakedMsWhileDown: nakedBy.down,
    nakedMsWhileHalted: nakedBy.halted,
    borrowedCoverLostMs: borrowedMs,
    borrowedCoverPositions: borrowedPositions,
    lost,
    duplicates,
    looserStops,
    orphans,
    unsettled,
    journalContinuous: journal.code === 0 && gaps.length === 0 && lines > 0,
    journalLines: lines,
    requests,
    requestsPerPositionHour: positionHours === 0 ? 0 : requests / positionHours,
    decisionToRestingMs: percentilesOf(latencies),
    openToProtectedMs: percentilesOf(firstProtection),
    alerts,
    problems,
    samples,
  };
}
