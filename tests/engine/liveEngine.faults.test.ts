import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FaultsInput } from '../../src/venues/emulator/faults.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import {
  allSettled,
  openStops,
  startEngine,
  startTestEmulator,
  VENUES,
  type EngineRig,
  type TestVenue,
} from './engineHarness.ts';

let em: Emulator | undefined;
let rig: EngineRig | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  rig = undefined;
  em = undefined;
});

/** Naked time the engine added per fault, printed at the end (the headline number). */
const naked: Record<string, number> = {};
afterAll(() => {
  console.log(`unprotectedMs after the first placement, per fault: ${JSON.stringify(naked)}`);
});

const stopOf = (side: 'long' | 'short', price: number) =>
  Number((side === 'long' ? price * 0.99 : price * 1.01).toFixed(1));

/** Every client id the emulator ever saw for a conditional order (open and retained finished). */
function placedClientIds(e: Emulator): string[] {
  const s = e.state();
  return [...s.openOrders, ...s.finishedOrders].map((o) => String(o['clientAlgoId']));
}

const FAULTS: { name: string; faults: FaultsInput }[] = [
  {
    name: 'the cancel fails',
    faults: {
      reject: {
        count: 3,
        endpoint: 'DELETE /fapi/v1/algoOrder',
        code: -1001,
        msg: 'Internal error',
        status: 503,
      },
    },
  },
  {
    name: 'the create fails',
    faults: {
      reject: {
        count: 3,
        endpoint: 'POST /fapi/v1/algoOrder',
        code: -1001,
        msg: 'Internal error',
        status: 503,
      },
    },
  },
  {
    name: "the create's answer is lost (connection reset)",
    faults: { lostResponse: { endpoint: 'POST /fapi/v1/algoOrder', mode: 'reset' } },
  },
  {
    name: 'the create times out (executed, never answered)',
    faults: { lostResponse: { endpoint: 'POST /fapi/v1/algoOrder', mode: 'hold' } },
  },
  {
    name: "the cancel's answer is lost",
    faults: { lostResponse: { endpoint: 'DELETE /fapi/v1/algoOrder', mode: 'reset', count: 2 } },
  },
  { name: 'a 429 burst', faults: { burst429: { requests: 6, retryAfterSec: 1 } } },
  { name: 'the WebSockets drop', faults: { wsDisconnect: true } },
];

/** The same faults on Bybit, where a move is one trading-stop call (an atomic amend). */
const BYBIT_FAULTS: { name: string; faults: FaultsInput }[] = [
  {
    name: 'the amend fails',
    faults: {
      reject: {
        count: 3,
        endpoint: 'POST /v5/position/trading-stop',
        code: 10016,
        msg: 'Internal server error.',
      },
    },
  },
  {
    name: "the amend's answer is lost (connection reset)",
    faults: { lostResponse: { endpoint: 'POST /v5/position/trading-stop', mode: 'reset' } },
  },
  {
    name: 'the amend times out (executed, never answered)',
    faults: { lostResponse: { endpoint: 'POST /v5/position/trading-stop', mode: 'hold' } },
  },
  { name: 'a 10006 burst', faults: { burst429: { requests: 6, retryAfterSec: 1 } } },
  { name: 'the WebSockets drop', faults: { wsDisconnect: true } },
];

/**
 * Moves the stop six times with `faults` injected after the first move; returns the settled
 * rig's final price.
 */
async function moveThrough(
  on: TestVenue,
  side: 'long' | 'short',
  faults: FaultsInput,
): Promise<number> {
  em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
  em.openPosition('BTCUSDT', side, '0.010');
  rig = await startEngine(em, {
    on,
    config: {
      symbols: ['BTCUSDT'],
      lanes: {
        fastMs: 0,
        normalMs: 0,
        clockPeriodMs: 100,
        pollIntervalMs: 200,
        maxPriceAgeMs: 1000,
      },
    },
  });
  await rig.until(() => allSettled(rig as EngineRig), 'first stop rests');
  await rig.feedReady('BTCUSDT');
  let price = 60000;
  for (let i = 0; i < 6; i++) {
    if (i === 1) em.injectFaults(faults);
    price += side === 'long' ? 50 : -50;
    em.setPrice('BTCUSDT', price.toFixed(1));
    const want = stopOf(side, price);
    await rig.until(
      () => allSettled(rig as EngineRig) && Number(rig!.engine.status()[0]?.desiredStop) === want,
      `stop at ${want}`,
    );
  }
  return price;
}

describe('atomic amend under faults on Bybit (real ccxt against the emulator)', () => {
  for (const side of ['long', 'short'] as const) {
    it.each(BYBIT_FAULTS)(
      `${side}: $name — no naked time, the position's stop where it belongs`,
      async ({ name, faults }) => {
        const price = await moveThrough('bybit', side, faults);
        const e = em as Emulator;
        const record = e
          .state()
          .protection.find((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
        naked[`bybit ${side}: ${name}`] = record?.unprotectedMsSinceFirstProtected ?? -1;
        expect(record?.unprotectedMsSinceFirstProtected).toBe(0);
        expect(openStops(e, 'BTCUSDT')).toEqual([
          { clientId: '', stopPrice: String(stopOf(side, price)) },
        ]);
        expect(e.state().positions[0]?.positionStop?.workingType).toBe('CONTRACT_PRICE');
      },
      120_000,
    );
  }
});

describe('make-before-break under faults (real ccxt against the emulator)', () => {
  for (const side of ['long', 'short'] as const) {
    it.each(FAULTS)(
      `${side}: $name — no naked time, one stop after settling, nothing sent twice`,
      async ({ name, faults }) => {
        const price = await moveThrough('binance', side, faults);
        const e = em as Emulator;
        const record = e
          .state()
          .protection.find((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
        naked[`${side}: ${name}`] = record?.unprotectedMsSinceFirstProtected ?? -1;
        expect(record?.unprotectedMsSinceFirstProtected).toBe(0);
        const stops = openStops(e, 'BTCUSDT');
        expect(stops.map((s) => s.stopPrice)).toEqual([String(stopOf(side, price))]);
        expect(stops[0]?.clientId.startsWith('rt-')).toBe(true);
        const ids = placedClientIds(e);
        expect(new Set(ids).size).toBe(ids.length);
      },
      120_000,
    );
  }
});

describe.each(VENUES)('the virtual stop on %s', (on) => {
  it.each(['long', 'short'] as const)(
    '%s: a gap through the desired stop while the resting stop lags closes at market',
    async (side) => {
      em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      // The interval holds the resting stop back: only the first placement goes out.
      rig = await startEngine(em, {
        on,
        config: {
          symbols: ['BTCUSDT'],
          protection: {
            minIntervalSeconds: 3600,
            minImprovementPercent: 0.1,
            emergencyPercent: 50,
            workingType: 'CONTRACT_PRICE',
          },
        },
      });
      await rig.until(() => allSettled(rig as EngineRig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      const initial = rig.engine.status()[0]?.restingStop;
      em.setPrice('BTCUSDT', side === 'long' ? '61000.0' : '59000.0');
      await rig.until(
        () =>
          Number(rig!.engine.status()[0]?.desiredStop) ===
          stopOf(side, side === 'long' ? 61000 : 59000),
        'desired stop moved',
      );
      expect(rig.engine.status()[0]?.restingStop).toBe(initial);
      // Through the desired stop, not through the resting one.
      em.setPrice('BTCUSDT', '60000.0');
      await rig.until(() => rig!.engine.status().length === 0, 'position closed and cleaned up');
      const s = em.state();
      expect(s.positions).toEqual([]);
      expect(openStops(em, 'BTCUSDT')).toEqual([]);
      const close = s.orders.find((o) => String(o['clientOrderId']).startsWith('rt-'));
      expect(close).toMatchObject({ type: 'MARKET', reduceOnly: true, status: 'FILLED' });
    },
    120_000,
  );
});
