import { afterAll, expect, it } from 'vitest';
import type { FaultsInput } from '../../src/venues/emulator/faults.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { allSettled, liveRigs, openStops, type LiveRigs, type TestVenue } from './engineHarness.ts';

/** One fault the stop is moved through, named for the test title. */
export interface FaultCase {
  readonly name: string;
  readonly faults: FaultsInput;
}

/** The stop 1 % from `price` on the losing side of a `side` position, as the engine rounds it. */
export const stopOf = (side: 'long' | 'short', price: number) =>
  Number((side === 'long' ? price * 0.99 : price * 1.01).toFixed(1));

/** Faults on Binance's create and cancel calls, the two halves of a make-before-break move. */
export const BINANCE_ORDER_FAULTS: readonly FaultCase[] = [
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
];

/** Faults on the whole of Binance: every call rate-limited, every socket dropped. */
export const BINANCE_VENUE_FAULTS: readonly FaultCase[] = [
  { name: 'a 429 burst', faults: { burst429: { requests: 6, retryAfterSec: 1 } } },
  { name: 'the WebSockets drop', faults: { wsDisconnect: true } },
];

/** The same faults on Bybit, where a move is one trading-stop call (an atomic amend). */
export const BYBIT_FAULTS: readonly FaultCase[] = [
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
 * Moves the stop of a `BTCUSDT` position on `on` six times, with `faults` injected after the
 * first move, and resolves once the engine settled on the last price, which it returns.
 */
export async function moveThrough(
  live: LiveRigs,
  on: TestVenue,
  side: 'long' | 'short',
  faults: FaultsInput,
): Promise<{ em: Emulator; price: number }> {
  const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
  em.openPosition('BTCUSDT', side, '0.010');
  const rig = await live.engine(em, {
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
  await rig.until(() => allSettled(rig), 'first stop rests');
  await rig.feedReady('BTCUSDT');
  let price = 60000;
  for (let i = 0; i < 6; i++) {
    if (i === 1) em.injectFaults(faults);
    price += side === 'long' ? 50 : -50;
    em.setPrice('BTCUSDT', price.toFixed(1));
    const want = stopOf(side, price);
    await rig.until(
      () => allSettled(rig) && Number(rig.engine.status()[0]?.desiredStop) === want,
      `stop at ${want}`,
    );
  }
  return { em, price };
}

/**
 * Collects the naked time the engine added per fault and prints it once the file's tests ran
 * (the headline number of make-before-break under faults).
 */
export function nakedTimeReport(): {
  /** Records the open `BTCUSDT` position's naked time since its first stop under `key`. */
  record(key: string, em: Emulator): number | undefined;
} {
  const naked: Record<string, number> = {};
  afterAll(() => {
    console.log(`unprotectedMs after the first placement, per fault: ${JSON.stringify(naked)}`);
  });
  return {
    record: (key, em) => {
      const ms = em
        .state()
        .protection.find(
          (p) => p.symbol === 'BTCUSDT' && p.closedAt === null,
        )?.unprotectedMsSinceFirstProtected;
      naked[key] = ms ?? -1;
      return ms;
    },
  };
}

/**
 * Registers, for each side, one test per case that moves a Binance stop through its fault and
 * expects no naked time, one stop after settling and nothing sent twice; the naked time per
 * fault is printed after the tests.
 */
export function testMakeBeforeBreakUnder(cases: readonly FaultCase[]): void {
  const live = liveRigs();
  const naked = nakedTimeReport();
  for (const side of ['long', 'short'] as const) {
    it.each(cases)(
      `${side}: $name — no naked time, one stop after settling, nothing sent twice`,
      async ({ name, faults }) => {
        const { em, price } = await moveThrough(live, 'binance', side, faults);
        expect(naked.record(`${side}: ${name}`, em)).toBe(0);
        const stops = openStops(em, 'BTCUSDT');
        expect(stops.map((s) => s.stopPrice)).toEqual([String(stopOf(side, price))]);
        expect(stops[0]?.clientId.startsWith('rt-')).toBe(true);
        const ids = placedClientIds(em);
        expect(new Set(ids).size).toBe(ids.length);
      },
      120_000,
    );
  }
}

/** Every client id the emulator ever saw for a conditional order (open and retained finished). */
function placedClientIds(em: Emulator): string[] {
  const s = em.state();
  return [...s.openOrders, ...s.finishedOrders].map((o) => String(o['clientAlgoId']));
}
