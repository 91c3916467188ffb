import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { parseEngineConfig } from '../../src/config/index.ts';
import { LiveEngine, type LiveEngineOptions } from '../../src/engine/liveEngine.ts';
import { openPositionStore, type PositionStore } from '../../src/store/positionStore.ts';
import { createVenue } from '../../src/venues/createVenue.ts';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../src/venues/emulator/index.ts';
import type { Venue } from '../../src/venues/port.ts';

/** The venues the live tests run on: both wire formats of the one emulated exchange. */
export type TestVenue = 'binance' | 'bybit';

/** Every venue, for `describe.each` / `it.each`. */
export const VENUES: readonly TestVenue[] = ['binance', 'bybit'];

const EXCHANGE_ID: Readonly<Record<TestVenue, 'binanceusdm' | 'bybit'>> = {
  binance: 'binanceusdm',
  bybit: 'bybit',
};

/** A running engine over a running emulator, with a way to wait for the engine's steps. */
export interface EngineRig {
  readonly em: Emulator;
  /** Which wire format the engine's venue speaks. */
  readonly on: TestVenue;
  readonly engine: LiveEngine;
  readonly venue: Venue;
  readonly store: PositionStore;
  readonly dataDir: string;
  readonly alerts: string[];
  /** Resolves once `predicate` holds, checked after every committed step and account change. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** Resolves once the engine's price stream of `symbol` and its account stream are subscribed. */
  feedReady(symbol: string): Promise<void>;
  /**
   * Stops the engine and closes the venue and store (the emulator stays up), once: a later
   * call resolves with the first.
   */
  shutdown(): Promise<void>;
}

/** The engine config the live tests use: immediate moves, every tick through. */
export function testConfig(
  em: Emulator,
  dataDir: string,
  overrides: Record<string, unknown> = {},
  on: TestVenue = 'binance',
) {
  return parseEngineConfig(
    {
      venue: { exchange: EXCHANGE_ID[on], url: em.restUrl, apiKey: em.apiKey, secret: em.secret },
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

/** How {@link startEngine} sets up an engine; every field has a default. */
export interface StartEngineOptions {
  on?: TestVenue;
  dataDir?: string;
  /** Merged over {@link testConfig}'s engine config. */
  config?: Record<string, unknown>;
  /** Merged over the harness's engine options (short reconcile and retry intervals). */
  engine?: Partial<LiveEngineOptions>;
}

/**
 * Starts an engine over `em` with its store in `dataDir` (a new temp dir by default), on the
 * venue `options.on` (Binance by default).
 */
export async function startEngine(
  em: Emulator,
  options: StartEngineOptions = {},
): Promise<EngineRig> {
  const on = options.on ?? 'binance';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ratchet-live-'));
  const config = testConfig(em, dataDir, options.config, on);
  const store = await openPositionStore(dataDir);
  const venue = await createVenue(config.venue, {
    clientIdPrefix: config.clientIdPrefix,
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
  const unsubscribe = em.exchange.subscribe({ user: poke, account: poke, trade: poke });
  await engine.start();
  let stopped: Promise<void> | undefined;
  return {
    em,
    on,
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
      if (on === 'bybit') {
        await em.bybitStreams.whenSubscribed(`publicTrade.${symbol}`);
        await em.bybitStreams.whenSubscribed('position');
        await em.bybitStreams.whenSubscribed('order');
        return;
      }
      await em.streams.whenSubscribed(`${symbol.toLowerCase()}@trade`);
      await em.streams.whenUserStreamOpen();
    },
    // A test may stop its engine itself (a restart) before the teardown stops it again.
    shutdown: () =>
      (stopped ??= (async () => {
        unsubscribe();
        await engine.stop();
        await venue.close();
        await store.close();
      })()),
  };
}

/** Starters of emulators and engines whose teardown {@link liveRigs} owns. */
export interface LiveRigs {
  /** {@link startTestEmulator}, closed after the test. */
  emulator(options?: EmulatorOptions): Promise<Emulator>;
  /** {@link startEngine}, shut down after the test (before any emulator). */
  engine(em: Emulator, options?: StartEngineOptions): Promise<EngineRig>;
  /** Runs `close` after the test, in reverse order of everything started or registered. */
  cleanup(close: () => unknown): void;
}

/**
 * Registers one `afterEach` in the calling test file that shuts down every engine, closes every
 * emulator and runs every cleanup the test started through the returned starters, last first.
 */
export function liveRigs(): LiveRigs {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return {
    emulator: async (options) => {
      const em = await startTestEmulator(options);
      closers.push(() => em.close());
      return em;
    },
    engine: async (em, options) => {
      const rig = await startEngine(em, options);
      closers.push(() => rig.shutdown());
      return rig;
    },
    cleanup: (close) => {
      closers.push(close);
    },
  };
}

/**
 * The stops resting on the emulator for `symbol`, as `{ clientId, stopPrice }`: its conditional
 * orders (Binance), then its position's own stop (Bybit), which has no client id (`''`).
 */
export function openStops(em: Emulator, symbol: string): { clientId: string; stopPrice: string }[] {
  const state = em.state();
  const orders = state.openOrders
    .filter((o) => o['symbol'] === symbol)
    .map((o) => ({ clientId: String(o['clientAlgoId']), stopPrice: String(o['triggerPrice']) }));
  const own = state.positions.find((p) => p.symbol === symbol)?.positionStop;
  return own === null || own === undefined
    ? orders
    : [...orders, { clientId: '', stopPrice: own.stopPrice }];
}

/** Whether a resting stop is the engine's: a client id with its prefix, or Bybit's position stop. */
export function isOurs(rig: EngineRig, stop: { clientId: string }): boolean {
  return rig.on === 'bybit' ? stop.clientId === '' : stop.clientId.startsWith('rt-');
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
