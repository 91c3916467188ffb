import { join } from 'node:path';
import type { EngineConfig } from '../config/index.ts';
import { serveControl } from '../engine/controlServer.ts';
import { engineControl } from '../engine/engineControl.ts';
import { LiveEngine, type LiveEngineOptions } from '../engine/liveEngine.ts';
import { serveInspector, type ServedInspector } from '../inspector/serveInspector.ts';
import { openPositionStore } from '../store/positionStore.ts';
import { StoreError } from '../store/storeErrors.ts';
import { createAlerter } from '../telemetry/createAlerter.ts';
import { createEngineLoggers } from '../telemetry/createEngineLoggers.ts';
import { createMetrics } from '../telemetry/createMetrics.ts';
import { serveMetrics, type ServedMetrics } from '../telemetry/serveMetrics.ts';
import { createVenue } from '../venues/createVenue.ts';
import { VenueError, type Venue } from '../venues/port.ts';
import type { CliIo } from './io.ts';
import { inspectorJournal } from './inspectorJournal.ts';
import { OperationError } from './operationError.ts';
import { UsageError } from './usageError.ts';
import { waitForStop } from './waitForStop.ts';

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
    error.kind === 'clockSkew'
      ? `refused our clock (${error.message}). Check this machine's time (NTP), then start again; no order was sent.`
      : error.kind === 'auth'
        ? `refused the API key (${error.message}). Check venue.apiKey and venue.secret, and that the key may trade futures.`
        : `cannot be reached (${error.message}). Check venue.url (or the network), then start again; no order was sent.`;
  return new OperationError(`the venue ${where} ${what}`);
}

/**
 * Runs the live engine for `config` until a signal (or `hooks.signal`): store, venue, telemetry,
 * inspector, control socket; every stop is left resting when it returns.
 */
export async function runEngine(
  config: EngineConfig,
  dataDir: string,
  io: CliIo,
  hooks: RunCommandHooks,
): Promise<void> {
  const where = config.venue.url ?? config.venue.exchange;
  const secrets = [
    config.venue.apiKey,
    config.venue.secret,
    config.alerts?.telegram?.botToken,
    config.metrics?.token,
    config.inspector?.token,
  ];
  const loggers = createEngineLoggers({
    dir: config.logs?.dir ?? join(dataDir, 'logs'),
    level: config.logs?.level,
    maxSizeMB: config.logs?.maxSizeMB,
    maxAgeDays: config.logs?.maxAgeDays,
    pretty: config.logs?.pretty,
    secrets,
  });
  const logger = loggers.root;
  const alerter =
    config.alerts === undefined
      ? undefined
      : createAlerter({
          webhook: config.alerts.webhook,
          telegram: config.alerts.telegram,
          minIntervalSeconds: config.alerts.minIntervalSeconds,
          logger,
          scrub: (text) => loggers.scrub(text),
        });
  const alert = (key: string, severity: 'info' | 'warning' | 'critical', message: string) =>
    alerter?.alert({ key, severity, message });
  let store;
  try {
    store = await openPositionStore(dataDir);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    alert('engineRefused', 'critical', `ratchet run refused to start: ${why}`);
    await alerter?.close();
    await loggers.close();
    if (error instanceof StoreError) throw new UsageError(error.message);
    throw error;
  }
  const metrics = createMetrics();
  let metricsServer: ServedMetrics | undefined;
  let venue: Venue | undefined;
  let engine: LiveEngine | undefined;
  let inspector: ServedInspector | undefined;
  let control: { close: () => Promise<void> } | undefined;
  try {
    try {
      venue = await createVenue(config.venue, {
        clientIdPrefix: config.clientIdPrefix,
        logger: logger.child({ component: 'venue' }),
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
        journal: inspectorJournal(store),
      });
      io.out(`ratchet run: inspector at ${inspector.url}`);
    }
    if (config.metrics !== undefined) {
      metricsServer = await serveMetrics({ metrics, ...config.metrics });
      io.out(`ratchet run: metrics at ${metricsServer.url}`);
    }
    engine = new LiveEngine({
      venue,
      store,
      config,
      logger,
      metrics,
      symbolLogger: (symbol) => loggers.forSymbol(symbol),
      onAlert: (message, key) =>
        alert(key, key.startsWith('control') ? 'info' : 'critical', message),
      ...(config.alerts === undefined ? {} : { alertThresholds: config.alerts.thresholds }),
      ...(config.risk === undefined ? {} : { risk: config.risk }),
      ...(inspector === undefined ? {} : { inspection: inspector.hub }),
      ...hooks.engine,
    });
    let report;
    try {
      report = await engine.start();
    } catch (error) {
      const refused = error instanceof VenueError ? venueProblem(where, error) : error;
      alert(
        'engineRefused',
        'critical',
        `ratchet run refused to start: ${refused instanceof Error ? refused.message : String(refused)}`,
      );
      throw refused;
    }
    alert(
      'engineStarted',
      'info',
      `ratchet run started on ${where}: ${engine.status().length} position(s) protected`,
    );
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
    alert(
      'engineStopped',
      'warning',
      `ratchet run stopped (${why}): ${positions} position(s) keep their resting stops, nothing moves them now`,
    );
  } finally {
    await control?.close().catch(() => undefined);
    await metricsServer?.close().catch(() => undefined);
    if (engine !== undefined) await engine.stop(0).catch(() => undefined);
    await inspector?.close().catch(() => undefined);
    await venue?.close().catch(() => undefined);
    await store.close();
    await alerter?.close();
    await loggers.close();
  }
}
