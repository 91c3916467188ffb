import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { destination } from 'pino';
import { LiveEngine, type LiveEngineOptions, type PositionStatus } from '../engine/liveEngine.ts';
import type { PositionSummary } from '../inspector/protocol.ts';
import { serveInspector, type ServedInspector } from '../inspector/serveInspector.ts';
import { openPositionStore, type PositionStore } from '../store/positionStore.ts';
import { StoreError } from '../store/storeErrors.ts';
import { createMetrics } from '../telemetry/createMetrics.ts';
import { createLogger, type LogLevel } from '../telemetry/logger.ts';
import { serveMetrics, type ServedMetrics } from '../telemetry/serveMetrics.ts';
import { createBinanceVenue } from '../venues/binance/createBinanceVenue.ts';
import { PAPER_STATE_FILE, PaperStateError } from '../venues/emulator/index.ts';
import type { Venue } from '../venues/port.ts';
import { DEFAULT_INSPECTOR_PORT, parsePort } from './inspect.ts';
import { inspectorJournal } from './inspectorJournal.ts';
import { processIo, type CliIo } from './io.ts';
import { loadPaperConfig, type PaperConfig } from './paperConfig.ts';
import { PaperExchange } from './paperExchange.ts';
import { createStatusBoard } from './paperStatus.ts';
import { UsageError } from './usageError.ts';
import { waitForStop } from './waitForStop.ts';

/** The paper config `npm start` plays when none is named. */
const DEFAULT_PAPER_CONFIG = fileURLToPath(new URL('../../examples/paper.yaml', import.meta.url));

/** How long shutting down waits for commands in flight before it stops anyway. */
const SETTLE_MS = 1500;
const STOP_GRACE_MS = 2000;
const BOARD_MS = 250;
const SAVE_MS = 1000;
/** A closed position stays on the terminal board this long (it stays in the inspector until dismissed). */
const CLOSED_SHOWN_MS = 30_000;

/** Hooks for running a paper run inside a test instead of until a signal arrives. */
export interface PaperCommandHooks {
  /** Stops the run when aborted, as SIGINT/SIGTERM do. */
  readonly signal?: AbortSignal;
  /** Extra engine options (shorter intervals in tests). */
  readonly engine?: Partial<Omit<LiveEngineOptions, 'venue' | 'store' | 'config' | 'logger'>>;
}

interface PaperOptions {
  readonly config: string;
  readonly dataDir?: string;
  readonly fresh?: boolean;
  readonly seed?: number;
  readonly speed?: number;
  readonly symbols?: readonly string[];
  readonly port?: number;
}

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > 0xffffffff)
    throw new InvalidArgumentError('a seed is a whole number from 0 to 4294967295, e.g. 7.');
  return n;
}

function parseSpeed(text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0) || n > 100)
    throw new InvalidArgumentError(
      'a speed is a number above 0 and at most 100 (1 = 4 ticks a second per symbol), e.g. 2.',
    );
  return n;
}

function parseSymbols(text: string): string[] {
  const symbols = text.split(',').map((s) => s.trim());
  if (symbols.some((s) => !/^[A-Z0-9]{2,15}USDT$/.test(s)))
    throw new InvalidArgumentError('symbols are comma-separated ids such as BTCUSDT,ETHUSDT.');
  return symbols;
}

/**
 * Makes sure `dir` is a paper run's data directory (or nothing yet) and, with `fresh`, empties
 * it. A directory holding anything else — a live engine's store above all — is refused: a paper
 * run would reconcile that store against its own exchange and end its positions.
 */
async function prepareDataDir(dir: string, fresh: boolean): Promise<void> {
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  if (entries.length > 0 && !entries.includes(PAPER_STATE_FILE))
    throw new UsageError(
      `--data-dir ${dir} holds files but no ${PAPER_STATE_FILE}, so it is not a paper run's directory (it may be a live engine's store, which a paper run must not touch); pass an empty or new directory, or one a paper run created.`,
    );
  if (fresh && entries.length > 0) {
    // Only a directory nobody runs on may be emptied: taking the store's lock proves it.
    await (await openStore(dir)).close();
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

async function openStore(dir: string): Promise<PositionStore> {
  try {
    return await openPositionStore(dir);
  } catch (error) {
    if (error instanceof StoreError) throw new UsageError(error.message);
    throw error;
  }
}

function statusLine(verb: string, s: PositionStatus): string {
  return `${verb} ${s.symbol} ${s.side} id=${s.id} state=${s.state} resting=${s.restingStop ?? 'none'} desired=${s.desiredStop}`;
}

/** Returns the positions the terminal board shows: open ones, and those closed a moment ago. */
function shownOnBoard(summaries: readonly PositionSummary[], now: number): PositionSummary[] {
  return summaries.filter((p) => p.closedAt === null || now - p.closedAt < CLOSED_SHOWN_MS);
}

async function runPaper(
  options: PaperOptions,
  io: CliIo,
  hooks: PaperCommandHooks,
  stopped: Promise<string>,
): Promise<void> {
  const config: PaperConfig = await loadPaperConfig(options.config, {
    seed: options.seed,
    speed: options.speed,
    symbols: options.symbols,
    dataDir: options.dataDir,
  });
  const dataDir = config.engine.dataDir;
  await prepareDataDir(dataDir, options.fresh === true);
  const store = await openStore(dataDir);
  const level = (process.env.RATCHET_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  // The terminal belongs to the status board: the engine's JSON log goes to a file beside its store.
  const logger = createLogger('paper', {
    level,
    destination: destination({ dest: join(dataDir, 'paper.log'), sync: true }),
  });
  let paper: PaperExchange | undefined;
  let venue: Venue | undefined;
  let inspector: ServedInspector | undefined;
  let metricsServer: ServedMetrics | undefined;
  let engine: LiveEngine | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;
  try {
    try {
      paper = await PaperExchange.start({
        dataDir,
        seed: config.seed,
        speed: config.speed,
        positions: config.positions,
        logger,
      });
    } catch (error) {
      if (error instanceof PaperStateError)
        throw new UsageError(`${error.message}; start over with --fresh.`);
      throw error;
    }
    if (paper.resumed && options.seed !== undefined && options.seed !== paper.seed)
      throw new UsageError(
        `--seed ${options.seed}: the paper run in ${dataDir} was started with seed ${paper.seed} and resumes with it; add --fresh to start over with seed ${options.seed}.`,
      );
    const em = paper.em;
    venue = await createBinanceVenue({
      apiKey: em.apiKey,
      secret: em.secret,
      url: em.restUrl,
      logger: logger.child({ component: 'venue' }),
    });
    const wanted = options.port ?? config.engine.inspector?.port ?? DEFAULT_INSPECTOR_PORT;
    const serve = (port: number) =>
      serveInspector({
        positions: [],
        host: config.engine.inspector?.host ?? '127.0.0.1',
        port,
        token: config.engine.inspector?.token,
        journal: inspectorJournal(store),
      });
    try {
      inspector = await serve(wanted);
    } catch (error) {
      // A second paper run, or another inspector, holds the port: any free one will do.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      inspector = await serve(0);
    }
    const hub = inspector.hub;
    // As in `ratchet run`: only a config with a `metrics` block serves /metrics.
    const metrics = config.engine.metrics === undefined ? undefined : createMetrics();
    if (metrics !== undefined) {
      try {
        metricsServer = await serveMetrics({ metrics, ...config.engine.metrics });
      } catch (error) {
        // A taken port is the user's to change; the message names the key.
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
    }
    io.out(
      `Ratchet paper run: a local exchange in this process, ${config.positions.length} paper position(s), the live engine through ccxt. Nothing leaves this machine.`,
    );
    io.out(
      `  exchange   ${em.restUrl}  (synthetic feed, seed ${paper.seed}, speed ${config.speed})`,
    );
    io.out(`  inspector  ${inspector.url}`);
    if (metricsServer !== undefined) io.out(`  metrics    ${metricsServer.url}`);
    io.out(
      `  data       ${dataDir}  (${paper.resumed ? 'resumed' : 'new'}; --fresh starts over; the engine's log is paper.log there)`,
    );
    const board = createStatusBoard(io, () => process.stdout.columns);
    const running = paper;
    engine = new LiveEngine({
      venue,
      store,
      config: {
        ...config.engine,
        venue: { ...config.engine.venue, url: em.restUrl, apiKey: em.apiKey, secret: em.secret },
      },
      logger,
      inspection: hub,
      ...(metrics === undefined ? {} : { metrics }),
      onAlert: (message) => board.note(`alert: ${message}`),
      onClosed: (slot) => {
        if (stopping) return;
        board.note(`closed ${slot.meta.symbol} ${slot.meta.side} id=${slot.meta.positionId}`);
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!stopping && running.reopen(slot.meta.symbol))
            board.note(`reopening a paper ${slot.meta.symbol} position`);
        }, config.reopenAfterSeconds * 1000);
        timers.add(timer);
      },
      ...hooks.engine,
    });
    const report = await engine.start();
    for (const s of engine.status()) io.out(statusLine(paper.resumed ? 'resumed' : 'opened', s));
    io.out(
      `protecting ${engine.status().length} position(s) (resumed ${report.resumed}, new ${report.opened}); Ctrl-C stops, every stop stays resting and the next start resumes them.`,
    );
    // A paper position that closed before the last stop is replaced now, before prices move.
    for (const symbol of paper.resumed ? paper.openMissing() : [])
      io.out(`reopening a paper ${symbol} position (the last one closed)`);
    paper.startFeed();
    const live = engine;
    timers.add(setInterval(() => running.saveIfChanged(), SAVE_MS));
    timers.add(
      setInterval(() => board.update(shownOnBoard(hub.summaries(), live.now())), BOARD_MS),
    );
    await stopped;
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    // Prices hold still first, so nothing fires or moves while the engine settles and the
    // account is saved: the next start finds exactly these stops.
    paper.stopFeed();
    let settleTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      engine.settled(),
      new Promise((done) => (settleTimer = setTimeout(done, SETTLE_MS))),
    ]);
    clearTimeout(settleTimer);
    const kept = engine.status();
    const result = await engine.stop(STOP_GRACE_MS);
    await paper.close();
    if (io.isTty) io.out('');
    for (const s of kept) io.out(statusLine('kept', s));
    io.out(
      `ratchet paper: stopped; ${result.positions} position(s) keep their stops on the paper exchange, saved in ${dataDir}.`,
    );
  } finally {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    if (engine !== undefined) await engine.stop(0).catch(() => undefined);
    await paper?.close().catch(() => undefined);
    await inspector?.close().catch(() => undefined);
    await metricsServer?.close().catch(() => undefined);
    await venue?.close().catch(() => undefined);
    await store.close();
    logger.flush();
  }
}

/**
 * Returns `ratchet paper` (what `npm start` runs): the exchange emulator in this process with a
 * seeded synthetic feed, paper positions opened on it, and the live engine protecting them
 * through ccxt — the code path of `ratchet run` — with the inspector and a status line per
 * position, until SIGINT/SIGTERM. The paper account is saved in the data directory, so the next
 * start resumes the same positions and stops; `--fresh` starts over.
 */
export function paperCommand(io: CliIo = processIo(), hooks: PaperCommandHooks = {}): Command {
  return new Command('paper')
    .description(
      'a paper run you can watch: a local exchange with a synthetic feed, paper positions on it, and the live engine keeping a stop on each (nothing to configure, no account)',
    )
    .option(
      '--config <file>',
      'the paper config: an engine config plus a paper block',
      DEFAULT_PAPER_CONFIG,
    )
    .option('--data-dir <dir>', "the paper run's data directory (default: the config's dataDir)")
    .option('--fresh', 'forget the saved paper run in the data directory and start over')
    .option('--seed <n>', 'seed of the synthetic feed (a resumed run keeps its own)', parseSeed)
    .option('--speed <x>', 'feed speed; 1 = 4 ticks a second per symbol', parseSpeed)
    .option(
      '--symbols <list>',
      'only the paper positions on these symbols, e.g. BTCUSDT,ETHUSDT',
      parseSymbols,
    )
    .option(
      '--port <port>',
      `inspector port (default: the config's, else ${DEFAULT_INSPECTOR_PORT}; taken: any free port)`,
      parsePort,
    )
    .action(async (options: PaperOptions) => {
      // Listening from the first moment: a Ctrl-C during start-up also ends the run cleanly.
      const stopped = waitForStop(hooks.signal);
      await runPaper({ ...options, config: resolve(options.config) }, io, hooks, stopped);
    });
}
