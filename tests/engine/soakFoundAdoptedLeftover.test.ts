import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs } from './engineHarness.ts';

// Found by the chaos soak (seed 42, 6 s naked on BTCUSDT at about 665 s, latency and a clock
// skew standing): the symbol goes flat, the engine sends the cancel of the old position's stop,
// and a new position on the same side opens and gets its own stop. A reconciliation read the
// open stops before the old stop's cancel landed, but decided after the old position's actor
// was gone: it saw two stops of ours on the new position, kept the tightest — the old one,
// already cancelled by then — and cancelled the new position's own stop as a leftover. The
// position had no stop at all for 6 s while the engine believed one rested.

const live = liveRigs();

const CANCEL = 'DELETE /fapi/v1/algoOrder';
const READ_STOPS = 'GET /fapi/v1/openAlgoOrders';

describe("a predecessor's stop whose cancel is in flight", () => {
  it('is never adopted in place of the new position’s own stop', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => allSettled(rig), 'first stop rests');
    await rig.feedReady('BTCUSDT');
    // The old stop trails up to 1 % under 61000, then the price eases back above it: the old
    // stop (60390) is tighter than any the new position will have at 60500 (59895).
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(
      () => allSettled(rig) && rig.engine.status()[0]?.restingStop === '60390',
      'old stop at 60390',
    );
    em.setPrice('BTCUSDT', '60500.0');
    // Cancels take 1.5 s to land.
    em.injectFaults({ latencyMs: { [CANCEL]: 1500 } });
    const cancels = em.counter.servedOn(CANCEL);
    em.closePosition('BTCUSDT');
    await em.counter.whenServed(CANCEL, cancels + 1);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const current = () => em.state().protection.find((p) => p.closedAt === null);
    // The new position's own stop rests beside the old one, whose cancel is still in flight.
    await rig.until(
      () => rig.engine.status().some((p) => p.state === 'resting' && p.restingStop !== '60390'),
      'the new position has its own stop',
    );
    expect(em.state().openOrders).toHaveLength(2);
    // A reconnection makes the engine reconcile now: it reads the open stops at once (both
    // rest) but its position read takes 2.5 s, so it decides after the old position is gone.
    const reads = em.counter.servedOn(READ_STOPS);
    em.injectFaults({
      latencyMs: { [CANCEL]: 1500, '/fapi/v2/positionRisk': 2500, '/fapi/v3/positionRisk': 2500 },
      wsDisconnect: true,
    });
    await em.counter.whenServed(READ_STOPS, reads + 1);
    // Settled: one position, nothing in flight, one stop resting on the exchange — or naked.
    await rig.until(
      () =>
        (current()?.unprotectedMsSinceFirstProtected ?? 0) > 0 ||
        (allSettled(rig) && rig.engine.status().length === 1 && em.state().openOrders.length === 1),
      'settled, or the new position naked',
    );
    em.injectFaults({ clear: true });
    expect(current()?.unprotectedMsSinceFirstProtected).toBe(0);
    const resting = rig.engine.status()[0]?.restingStop;
    expect(em.state().openOrders.map((o) => String(o['triggerPrice']))).toEqual([resting]);
  }, 60_000);
});
