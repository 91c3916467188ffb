import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadEngineConfig } from '../config/index.ts';
import { serveControl } from '../engine/controlServer.ts';
import { engineControl } from '../engine/engineControl.ts';
import { LiveEngine, type LiveEngineOptions } from '../engine/liveEngine.ts';
import { serveInspector, type ServedInspector } from '../inspector/serveInspector.ts';
import { openPositionStore } from '../store/positionStore.ts';
import { StoreError } from '../store/storeErrors.ts';
import { createLogger } from '../telemetry/logger.ts';
import { createBinanceVenue } from '../venues/binance/createBinanceVenue.ts';
import { VenueError, type Venue } from '../venues/port.ts';
import { processIo, type CliIo } from './io.ts';
import { OperationError } from './operationError.ts';
import { UsageError } from './usageError.ts';

/** Hooks for running the engine inside a test instead of until a signal arrives. */
export interface RunCommandHooks {
  /** Stops the engine when aborted, as SIGINT/SIGTERM do. */
  readonly signal?: AbortSignal;
  /** Receives the running engine once it has started. */
  readonly onReady?: (engine: LiveEngine) => void;
  /** Extra engine options (shorter intervals in tests). */
  readonly engine?: Partial<Omit<LiveEngineOptions, 'venue' | 'store' | 'config' | 'logger'>>;
}

function venueProblem(where: string, error: VenueError): OperationError {
  const what =
    error.kind === 'auth'
      ? `refused the API key (${error.message}). Check venue.apiKey and venue.secret, and that the key may trade futures.`
      : `cannot be reached (${error.message}). Check venue.url (or the network), then start again; no order was sent.`;
  return new OperationError(`the venue ${where} ${what}`);
}

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((done) => {
    if (signal !== undefined) {
      if (signal.aborted) done('abort');
      signal.addEventListener('abort', () => done('abort'), { once: true });
      return;
    }
    const on = (name: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      done(name);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/** Returns `ratchet run`: the live engine, until SIGINT/SIGTERM. */
export function runCommand(io: CliIo = processIo(), hooks: RunCommandHooks = {}): Command {
  return new Command('run')
    .description(
      'protect every open position of an exchange account: a stop that follows the policy rests on the exchange, moved make-before-break, through restarts',
    )
    .requiredOption(
      '--config <file>',
      'the engine config (YAML or JSON): venue, policy, protection, lanes',
    )
    .option('--data-dir <dir>', 'the data directory (default: the config’s dataDir)')
    .action(async (options: { config: string; dataDir?: string }) => {
      const config = await loadEngineConfig(options.config);
      const dataDir = options.dataDir === undefined ? config.dataDir : resolve(options.dataDir);
      const logger = createLogger('engine');
      const where = config.venue.url ?? config.venue.exchange;
      let store;
      try {
        store = await openPositionStore(dataDir);
      } catch (error) {
        if (error instanceof StoreError) throw new UsageError(error.message);
        throw error;
      }
      let venue: Venue | undefined;
      let engine: LiveEngine | undefined;
      let inspector: ServedInspector | undefined;
      let control: { close: () => Promise<void> } | undefined;
      try {
        try {
          venue = await createBinanceVenue({
            apiKey: config.venue.apiKey,
            secret: config.venue.secret,
            url: config.venue.url,
            sandbox: config.venue.sandbox,
            logger: createLogger('venue'),
          });
        } catch (error) {
          if (error instanceof VenueError) throw venueProblem(where, error);
          throw error;
        }
        if (config.inspector !== undefined) {
          inspector = await serveInspector({
            positions: [],
            host: config.inspector.host,
            port: config.inspector.port,
            token: config.inspector.token,
          });
          io.out(`ratchet run: inspector at ${inspector.url}`);
        }
        engine = new LiveEngine({
          venue,
          store,
          config,
          logger,
          ...(inspector === undefined ? {} : { inspection: inspector.hub }),
          ...hooks.engine,
        });
        let report;
        try {
          report = await engine.start();
        } catch (error) {
          if (error instanceof VenueError) throw venueProblem(where, error);
          throw error;
        }
        io.out(
          `ratchet run: protecting ${engine.status().length} position(s) on ${where} ` +
            `(resumed ${report.resumed}, new ${report.opened}, closed while down ${report.closedWhileDown}, ` +
            `orphan stops cancelled ${report.orphansCancelled}, others' orders left alone ${report.foreign}); ` +
            `data in ${store.dir}. Ctrl-C stops; stops stay resting.`,
        );
        control = await serveControl(store.dir, engineControl(engine));
        hooks.onReady?.(engine);
        const why = await waitForStop(hooks.signal);
        logger.info({ why }, 'stopping');
        const { settled, positions } = await engine.stop();
        logger.info(
          { positions, settled },
          `stopped: ${positions} position(s) left protected by their resting stops${settled ? '' : ' (a command was still in flight: the next start looks it up)'}`,
        );
        io.out(`ratchet run: stopped; ${positions} position(s) keep their resting stops.`);
      } finally {
        await control?.close().catch(() => undefined);
        if (engine !== undefined) await engine.stop(0).catch(() => undefined);
        await inspector?.close().catch(() => undefined);
        await venue?.close().catch(() => undefined);
        await store.close();
      }
    });
}
