import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { loadEngineConfig, type EngineConfig } from '../config/index.ts';
import { ControlError, sendControl } from '../engine/controlServer.ts';
import { diagnose, type DoctorReport } from '../engine/doctor.ts';
import type { PauseState, PositionStatus } from '../engine/liveEngine.ts';
import { storedPositions } from '../engine/storedPositions.ts';
import type { JournalEntry } from '../store/checkpoint.ts';
import { openPositionStore } from '../store/positionStore.ts';
import { DataDirLockedError, StoreError } from '../store/storeErrors.ts';
import { createVenue } from '../venues/createVenue.ts';
import { VenueError } from '../venues/port.ts';
import { table } from './format.ts';
import { processIo, type CliIo } from './io.ts';
import { OperationError } from './operationError.ts';
import { UsageError } from './usageError.ts';

interface EngineView {
  engine: 'running' | 'stopped';
  paused: PauseState | null;
  actors: PositionStatus[];
  journal?: JournalEntry[];
}

/**
 * Asks the running engine; when none answers, reads its data directory (the lock guards it),
 * or refuses when `running` is required.
 */
async function engineView(
  dataDir: string,
  venueId: string,
  requireRunning: boolean,
): Promise<EngineView> {
  try {
    const r = (await sendControl(dataDir, 'status')) as {
      paused: PauseState | null;
      positions: PositionStatus[];
    };
    return { engine: 'running', paused: r.paused, actors: r.positions };
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    if (requireRunning)
      throw new OperationError(
        `no engine answers on its control socket in ${dataDir} (${error.message}); start one with ratchet run, or run ratchet doctor to read a stopped engine's data directory.`,
      );
  }
  if (!existsSync(dataDir)) return { engine: 'stopped', paused: null, actors: [], journal: [] };
  let store;
  try {
    store = await openPositionStore(dataDir, { create: false });
  } catch (error) {
    if (error instanceof DataDirLockedError)
      throw new OperationError(
        `the data directory ${dataDir} is held by a running engine whose control socket does not answer: ${error.message}`,
      );
    if (error instanceof StoreError) throw new UsageError(error.message);
    throw error;
  }
  try {
    const { envelopes } = await store.listEnvelopes();
    const { entries } = await store.readJournal();
    const pause = await store.getRaw('engine/paused');
    return {
      engine: 'stopped',
      paused: pause === undefined ? null : (JSON.parse(pause) as PauseState | null),
      actors: storedPositions(envelopes, venueId),
      journal: entries,
    };
  } finally {
    await store.close();
  }
}

/**
 * Returns one doctor report for the account and data directory of `config`; with
 * `requireRunning` (what `ratchet status` asks) only from a running engine.
 */
export async function runDoctor(
  config: EngineConfig,
  dataDir: string,
  options: { readonly requireRunning?: boolean } = {},
): Promise<DoctorReport> {
  const where = config.venue.url ?? config.venue.exchange;
  const venue = await createVenue(config.venue, {
    clientIdPrefix: config.clientIdPrefix,
    logger: pino({ level: 'silent' }),
  });
  try {
    const view = await engineView(dataDir, venue.id, options.requireRunning ?? false);
    const wanted = (symbol: string) =>
      config.symbols === undefined || config.symbols.includes(symbol);
    const [positions, stops, checkedAt] = await Promise.all([
      venue.fetchPositions(),
      venue.fetchOpenStops(config.symbols),
      venue.fetchTime(),
    ]);
    return diagnose({
      checkedAt,
      venue: venue.id,
      engine: view.engine,
      paused: view.paused,
      actors: view.actors,
      positions: positions.filter((p) => wanted(p.symbol)),
      stops: stops.filter((s) => wanted(s.symbol)),
      prefix: config.clientIdPrefix,
      emergencyPercent: config.protection.emergencyPercent,
      journal: view.journal,
    });
  } catch (error) {
    if (error instanceof VenueError)
      throw new OperationError(
        `the venue ${where} cannot be read (${error.message}); nothing was checked.`,
      );
    throw error;
  } finally {
    await venue.close();
  }
}

/** Returns the readable form of a report. */
export function doctorTable(report: DoctorReport): string {
  const rows = report.positions.map((p) => [
    p.symbol,
    p.side,
    p.quantity,
    p.actor?.state ?? '— no actor',
    p.actor?.desiredStop ?? '—',
    p.actor?.restingStop ?? '—',
    p.stops.map((s) => s.stopPrice).join(', ') || '— none',
    String(p.actor?.unprotectedMs ?? '—'),
  ]);
  const paused =
    report.paused === null
      ? ''
      : ` (PAUSED since ${new Date(report.paused.since).toISOString()}: ${report.paused.reason})`;
  const head = `${report.venue}: engine ${report.engine}${paused}, ${report.positions.length} open position(s), ${report.foreignOrders} order(s) not ours`;
  const verdict =
    report.problems.length === 0
      ? 'consistent: every position has an actor and one resting stop of ours'
      : `${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p.kind} ${p.symbol}: ${p.detail}`).join('\n')}`;
  return `${head}\n${table(['symbol', 'side', 'qty', 'state', 'desired', 'resting (engine)', 'on exchange', 'unprotected ms'], rows)}\n${verdict}`;
}

function waitMinutesOrSignal(minutes: number): Promise<boolean> {
  return new Promise((done) => {
    const timer = setTimeout(() => finish(false), minutes * 60_000);
    const onSignal = () => finish(true);
    function finish(stopped: boolean) {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(stopped);
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

/** Returns `ratchet doctor`: store versus exchange consistency, whether or not the engine runs. */
export function doctorCommand(io: CliIo = processIo()): Command {
  return new Command('doctor')
    .description(
      'check that every open position has an actor and exactly one resting stop of ours, and that the engine and the exchange agree',
    )
    .requiredOption('--config <file>', 'the engine config')
    .option('--data-dir <dir>', 'the data directory, if the engine was started with --data-dir')
    .addOption(
      new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .option(
      '--watch <minutes>',
      'repeat every N minutes until Ctrl-C, then write every report to --report',
    )
    .option('--report <file>', 'where --watch writes its reports (JSON)', 'doctor-report.json')
    .action(
      async (options: {
        config: string;
        dataDir?: string;
        format: 'table' | 'json';
        watch?: string;
        report: string;
      }) => {
        const config = await loadEngineConfig(options.config);
        const dataDir = options.dataDir === undefined ? config.dataDir : resolve(options.dataDir);
        const show = (r: DoctorReport) =>
          io.out(options.format === 'json' ? JSON.stringify(r) : doctorTable(r));
        if (options.watch === undefined) {
          const report = await runDoctor(config, dataDir);
          show(report);
          if (!report.consistent)
            throw new OperationError(
              `doctor found ${report.problems.length} problem(s) (listed above).`,
            );
          return;
        }
        const minutes = Number(options.watch);
        if (!Number.isFinite(minutes) || minutes <= 0)
          throw new UsageError(`--watch ${options.watch} is not a number of minutes above 0.`);
        const reports: DoctorReport[] = [];
        for (;;) {
          const report = await runDoctor(config, dataDir);
          reports.push(report);
          // Bounded: a week of 15-minute reports at most.
          if (reports.length > 672) reports.shift();
          show(report);
          if (await waitMinutesOrSignal(minutes)) break;
        }
        writeFileSync(options.report, `${JSON.stringify(reports, null, 2)}\n`);
        io.out(`doctor: ${reports.length} report(s) written to ${resolve(options.report)}`);
        if (reports.some((r) => !r.consistent))
          throw new OperationError('doctor found problems in at least one report (see the file).');
      },
    );
}
