import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs } from './engineHarness.ts';

// The chaos soak's question: a position closed elsewhere and reopened on the same side while the
// predecessor's leftover stop is still being cancelled. The leftover (reduce-only, same size)
// protects the new position at first; when its slow cancel lands, the new position must already
// have its own stop, or it is naked until the engine places one.

const live = liveRigs();

const CANCEL = 'DELETE /fapi/v1/algoOrder';
const PLACE = 'POST /fapi/v1/algoOrder';

const CASES = [
  // Guards: the new position's own stop lands before the slow cancel of the predecessor's.
  { side: 'long', cancelMs: 800, placeMs: 0 },
  { side: 'short', cancelMs: 800, placeMs: 0 },
  // Found by the soak (seed 25, a 314 ms latency fault): the cancel, sent while the symbol was
  // flat — before the new position existed — lands before the new position's first stop. No
  // engine can take back a cancel already on the wire: the new position's exposure is its own
  // time to a first stop, as for any new position (see the assertion below).
  { side: 'long', cancelMs: 300, placeMs: 900 },
] as const;

describe('a same-side reopen while the leftover cancel is in flight', () => {
  it.each(CASES)(
    '$side, cancel $cancelMs ms, place $placeMs ms: the new position is never naked once protected',
    async ({ side, cancelMs, placeMs }) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      em.injectFaults({ latencyMs: { [CANCEL]: cancelMs, [PLACE]: placeMs } });
      const cancels = em.counter.servedOn(CANCEL);
      em.closePosition('BTCUSDT');
      // The engine saw the position flat and sent the leftover's cancel: reopen now.
      await em.counter.whenServed(CANCEL, cancels + 1);
      const cancelSentAt = em.state().time;
      em.openPosition('BTCUSDT', side, '0.010');
      // The protection record of the position open now (the predecessor's record is closed).
      const current = () => em.state().protection.find((p) => p.closedAt === null);
      await rig.until(
        () =>
          allSettled(rig) &&
          rig.engine.status().length === 1 &&
          em.state().openOrders.length === 1 &&
          current()?.isProtected === true,
        'the new position has its own stop and the leftover is gone',
      );
      const record = current();
      expect(record?.firstOwnStopAt).not.toBeNull();
      // Once its own stop rested, the position was never without one.
      expect(record?.unprotectedMsSinceOwnStop).toBe(0);
      const own = em.state().openOrders[0] as { createTime: number };
      if (own.createTime >= cancelSentAt) {
        // The leftover's cancel left before the new position's own stop was asked for: any
        // unprotected time lies between the opening and that stop resting, never after it.
        expect(record?.unprotectedMsSinceFirstProtected).toBeLessThanOrEqual(
          own.createTime - (record?.openedAt ?? 0),
        );
      } else {
        expect(record?.unprotectedMsSinceFirstProtected).toBe(0);
      }
    },
    60_000,
  );
});
