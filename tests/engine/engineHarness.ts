import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseEngineConfig } from '../../src/config/index.ts';
import { LiveEngine, type LiveEngineOptions } from '../../src/engine/liveEngine.ts';
import { openPositionStore, type PositionStore } from '../../src/store/positionStore.ts';
import { createBinanceVenue } from '../../src/venues/binance/createBinanceVenue.ts';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../src/venues/emulator/index.ts';
import type { Venue } from '../../src/venues/port.ts';

/** A running engine over a running emulator, with a way to wait for the engine's steps. */
export interface EngineRig {
  readonly em: Emulator;
  readonly engine: LiveEngine;
  readonly venue: Venue;
  readonly store: PositionStore;
  readonly dataDir: string;
  readonly alerts: string[];
  /** Resolves once `predicate` holds, checked after every committed step and account change. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** Resolves once the engine's price stream of `symbol` and its account stream are subscribed. */
  feedReady(symbol: string): Promise<void>;
  /** Stops the engine and closes the venue and store (the emulator stays up). */
  shutdown(): Promise<void>;
}

/** The engine config the live tests use: immediate moves, every tick through. */
export function testConfig(em: Emulator, dataDir: string, overrides: Record<string, unknown> = {}) {
  return parseEngineConfig(
    {
      venue: { exchange: 'binanceusdm', url: em.restUrl, apiKey: em.apiKey, secret: em.secret },
      policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
      protection: {
        minIntervalSeconds: 0,
        minImprovementPercent: 0,
        emergencyPercent: 1,
        workingType: 'CONTRACT_PRICE',
      },
      lanes: { fastMs: 0, normalMs: 0, clockPeriodMs: 100 },
      clientIdPrefix: 'rt',
      ...overrides,
    },
    { env: {}, baseDir: dataDir },
  );
}

/** Returns a fresh emulator with `BTCUSDT` and `ETHUSDT` and no feed. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ symbols: ['BTCUSDT', 'ETHUSDT'], feed: { kind: 'none' }, ...options });
}

/** Starts an engine over `em` with its store in `dataDir` (a new temp dir by default). */
export async function startEngine(
  em: Emulator,
  options: {
    dataDir?: string;
    config?: Record<string, unknown>;
    engine?: Partial<LiveEngineOptions>;
  } = {},
): Promise<EngineRig> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ratchet-live-'));
  const config = testConfig(em, dataDir, options.config);
  const store = await openPositionStore(dataDir);
  const venue = await createBinanceVenue({
    apiKey: em.apiKey,
    secret: em.secret,
    url: em.restUrl,
    // Short, so a request whose answer the emulator holds back times out within the test.
    timeoutMs: 3000,
    logger: pino({ level: 'silent' }),
  });
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  const alerts: string[] = [];
  const engine = new LiveEngine({
    venue,
    store,
    config,
    logger: pino({ level: process.env['RATCHET_LOG_LEVEL'] ?? 'silent' }),
    reconcileMinMs: 300,
    reconcileMaxMs: 2000,
    retryBaseMs: 50,
    retryMaxMs: 1000,
    exitGraceMs: 1000,
    onCommitted: poke,
    onClosed: poke,
    onAlert: (m) => alerts.push(m),
    ...options.engine,
  });
  const unsubscribe = em.exchange.subscribe({ user: poke, trade: poke });
  await engine.start();
  return {
    em,
    engine,
    venue,
    store,
    dataDir,
    alerts,
    until: (predicate, what) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (predicate()) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
        void what;
      }),
    feedReady: async (symbol) => {
      await em.streams.whenSubscribed(`${symbol.toLowerCase()}@trade`);
      await em.streams.whenUserStreamOpen();
    },
    shutdown: async () => {
      unsubscribe();
      await engine.stop();
      await venue.close();
      await store.close();
    },
  };
}

/** Our open stops on the emulator for `symbol`, as `{ clientId, stopPrice }`. */
export function openStops(em: Emulator, symbol: string): { clientId: string; stopPrice: string }[] {
  return em
    .state()
    .openOrders.filter((o) => o['symbol'] === symbol)
    .map((o) => ({ clientId: String(o['clientAlgoId']), stopPrice: String(o['triggerPrice']) }));
}

/** Whether every position the engine holds has one resting stop at its desired price and nothing in flight. */
export function allSettled(rig: EngineRig): boolean {
  const status = rig.engine.status();
  return (
    status.length > 0 &&
    status.every(
      (p) =>
        p.state === 'resting' &&
        p.restingStop !== null &&
        Number(p.restingStop) === Number(p.desiredStop),
    )
  );
}
