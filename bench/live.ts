/**
 * Measures the live engine against the local exchange, through real ccxt:
 * 1. time from a position opening on the exchange to its stop resting (p50/p99/max), over
 *    `--openings` positions opened one after another while the engine runs;
 * 2. exchange requests per position-hour with the default protection and lane settings, under
 *    the emulator's synthetic feed, over `--seconds` of wall time with `--positions` positions.
 *
 *   npx tsx bench/live.ts [--openings 40] [--seconds 120] [--positions 4] [--json]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseEngineConfig } from '../src/config/index.ts';
import { LiveEngine } from '../src/engine/liveEngine.ts';
import { openPositionStore } from '../src/store/positionStore.ts';
import { createBinanceVenue } from '../src/venues/binance/createBinanceVenue.ts';
import { startEmulator, type Emulator } from '../src/venues/emulator/index.ts';

const { values } = parseArgs({
  options: {
    openings: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '120' },
    positions: { type: 'string', default: '4' },
    json: { type: 'boolean', default: false },
  },
});
const OPENINGS = Number(values.openings);
const SECONDS = Number(values.seconds);
const POSITIONS = Number(values.positions);
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT'];

async function engineOver(em: Emulator, overrides: Record<string, unknown>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-bench-live-'));
  const config = parseEngineConfig(
    {
      venue: { exchange: 'binanceusdm', url: em.restUrl, apiKey: em.apiKey, secret: em.secret },
      policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
      ...overrides,
    },
    { env: {}, baseDir: dataDir },
  );
  const store = await openPositionStore(dataDir);
  const venue = await createBinanceVenue({
    apiKey: em.apiKey,
    secret: em.secret,
    url: em.restUrl,
    logger: pino({ level: 'silent' }),
  });
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  const engine = new LiveEngine({
    venue,
    store,
    config,
    logger: pino({ level: 'silent' }),
    onCommitted: poke,
    onClosed: poke,
  });
  await engine.start();
  const until = (p: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (p()) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  return {
    engine,
    until,
    close: async () => {
      await engine.stop();
      await venue.close();
      await store.close();
    },
  };
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function timeToFirstStop(): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const em = await startEmulator({ symbols: ['BTCUSDT'], feed: { kind: 'none' } });
  const rig = await engineOver(em, {});
  // Measure what the account stream delivers, not the start-up reconciliation.
  await em.streams.whenUserStreamOpen();
  const samples: number[] = [];
  for (let i = 0; i < OPENINGS; i++) {
    const side = i % 2 === 0 ? 'long' : 'short';
    em.openPosition('BTCUSDT', side, '0.010');
    await rig.until(() => rig.engine.status().some((p) => p.restingStop !== null));
    const state = em.state();
    const openedAt = state.positions.find((p) => p.symbol === 'BTCUSDT')?.openedAt ?? NaN;
    const placed = Number(state.openOrders[0]?.['createTime']);
    samples.push(placed - openedAt);
    if (process.env['RATCHET_BENCH_VERBOSE'] !== undefined)
      process.stderr.write(` ${placed - openedAt}ms\n`);
    // Close it elsewhere and let the engine clean up before the next one.
    em.openPosition('BTCUSDT', side === 'long' ? 'short' : 'long', '0.010');
    await rig.until(() => rig.engine.status().length === 0);
    process.stderr.write(`\ropenings ${i + 1}/${OPENINGS}`);
  }
  process.stderr.write('\n');
  await rig.close();
  await em.close();
  samples.sort((a, b) => a - b);
  return {
    p50: pct(samples, 0.5),
    p99: pct(samples, 0.99),
    max: samples.at(-1) ?? NaN,
    n: samples.length,
  };
}

async function requestsPerPositionHour() {
  const symbols = SYMBOLS.slice(0, POSITIONS);
  const em = await startEmulator({ symbols, feed: { kind: 'synthetic', seed: 7 }, seed: 7 });
  symbols.forEach((s, i) =>
    em.openPosition(s, i % 2 === 0 ? 'long' : 'short', s === 'BTCUSDT' ? '0.010' : '1'),
  );
  const before = em.counter.served();
  // Wide enough that the feed's swings rarely stop a position out during the run.
  const rig = await engineOver(em, {
    policy: { initialStop: { percent: 5 }, trailing: { percent: 3 } },
  });
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsedH = (performance.now() - started) / 3_600_000;
  const requests = em.counter.served() - before;
  const orders = rig.engine.requestCounts.requests;
  const orderCalls = [...orders.values()].reduce((a, b) => a + b, 0);
  const positions = symbols.length;
  const stillOpen = rig.engine.status().length;
  await rig.close();
  await em.close();
  return {
    seconds: SECONDS,
    positions,
    stillOpen,
    requests,
    orderCalls,
    requestsPerPositionHour: requests / (symbols.length * elapsedH),
    orderCallsPerPositionHour: orderCalls / (symbols.length * elapsedH),
    byCommand: Object.fromEntries(orders),
  };
}

const first = await timeToFirstStop();
const load = await requestsPerPositionHour();
const report = { timeToFirstStopMs: first, load };
if (values.json === true) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(
    `time from opening to resting stop over ${first.n} openings: p50 ${first.p50} ms, p99 ${first.p99} ms, max ${first.max} ms`,
  );
  console.log(
    `${load.positions} positions, ${load.seconds} s, synthetic feed, default protection: ${load.requests} requests ` +
      `(${load.requestsPerPositionHour.toFixed(0)} per position-hour), of which order calls ${load.orderCalls} ` +
      `(${load.orderCallsPerPositionHour.toFixed(0)} per position-hour): ${JSON.stringify(load.byCommand)}`,
  );
}
