import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { allSettled, startEngine, startTestEmulator, type EngineRig } from './engineHarness.ts';

// Found by the chaos soak (seed 42, 6 s naked on BTCUSDT at about 665 s, latency and a clock
// skew standing): the symbol goes flat, the engine sends the cancel of the old position's stop,
// and a new position on the same side opens and gets its own stop. A reconciliation read the
// open stops before the old stop's cancel landed, but decided after the old position's actor
// was gone: it saw two stops of ours on the new position, kept the tightest — the old one,
// already cancelled by then — and cancelled the new position's own stop as a leftover. The
// position had no stop at all for 6 s while the engine believed one rested.

let em: Emulator | undefined;
let rig: EngineRig | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  rig = undefined;
  em = undefined;
});

const CANCEL = 'DELETE /fapi/v1/algoOrder';
const READ_STOPS = 'GET /fapi/v1/openAlgoOrders';

describe("a predecessor's stop whose cancel is in flight", () => {
  it('is never adopted in place of the new position’s own stop', async () => {
    em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    rig = await startEngine(em, { config: { symbols: ['BTCUSDT'] } });
    const r = rig;
    const e = em;
    await r.until(() => allSettled(r), 'first stop rests');
    await r.feedReady('BTCUSDT');
    // The old stop trails up to 1 % under 61000, then the price eases back above it: the old
    // stop (60390) is tighter than any the new position will have at 60500 (59895).
    e.setPrice('BTCUSDT', '61000.0');
    await r.until(
      () => allSettled(r) && r.engine.status()[0]?.restingStop === '60390',
      'old stop at 60390',
    );
    e.setPrice('BTCUSDT', '60500.0');
    // Cancels take 1.5 s to land.
    e.injectFaults({ latencyMs: { [CANCEL]: 1500 } });
    const cancels = e.counter.servedOn(CANCEL);
    e.closePosition('BTCUSDT');
    await e.counter.whenServed(CANCEL, cancels + 1);
    e.openPosition('BTCUSDT', 'long', '0.010');
    const current = () => e.state().protection.find((p) => p.closedAt === null);
    // The new position's own stop rests beside the old one, whose cancel is still in flight.
    await r.until(
      () => r.engine.status().some((p) => p.state === 'resting' && p.restingStop !== '60390'),
      'the new position has its own stop',
    );
    expect(e.state().openOrders).toHaveLength(2);
    // A reconnection makes the engine reconcile now: it reads the open stops at once (both
    // rest) but its position read takes 2.5 s, so it decides after the old position is gone.
    const reads = e.counter.servedOn(READ_STOPS);
    e.injectFaults({
      latencyMs: { [CANCEL]: 1500, '/fapi/v2/positionRisk': 2500, '/fapi/v3/positionRisk': 2500 },
      wsDisconnect: true,
    });
    await e.counter.whenServed(READ_STOPS, reads + 1);
    // Settled: one position, nothing in flight, one stop resting on the exchange — or naked.
    await r.until(
      () =>
        (current()?.unprotectedMsSinceFirstProtected ?? 0) > 0 ||
        (allSettled(r) && r.engine.status().length === 1 && e.state().openOrders.length === 1),
      'settled, or the new position naked',
    );
    e.injectFaults({ clear: true });
    expect(current()?.unprotectedMsSinceFirstProtected).toBe(0);
    const resting = r.engine.status()[0]?.restingStop;
    expect(e.state().openOrders.map((o) => String(o['triggerPrice']))).toEqual([resting]);
  }, 60_000);
});
