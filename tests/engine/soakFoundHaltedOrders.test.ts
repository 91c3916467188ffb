import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs } from './engineHarness.ts';

// Found by the chaos soak (seed 42, a full disk at 109 s: "5 order call(s) reached the exchange
// after the engine halted"): a halted engine — its store refused a write — still runs its
// periodic reconciliation, and that cancels "orphan" stops (a position closed elsewhere during
// the halt) straight through the venue, with nothing journaled. The contract of a halt is the
// opposite: send no order at all until an operator (or a supervisor's restart) steps in.

const live = liveRigs();

const CANCEL = 'DELETE /fapi/v1/algoOrder';
const PLACE = 'POST /fapi/v1/algoOrder';
const READ_STOPS = 'GET /fapi/v1/openAlgoOrders';

describe('a halted engine', () => {
  it('cancels nothing, not even the stop of a position closed elsewhere', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => allSettled(rig), 'first stop rests');
    await rig.feedReady('BTCUSDT');
    // The disk fills up: every write of the store fails from now on.
    const store = rig.store;
    let refused!: () => void;
    const firstRefusal = new Promise<void>((resolve) => (refused = resolve));
    const full = () => {
      refused();
      return Promise.reject(new Error('IO error: No space left on device'));
    };
    store.commit = full;
    store.putRaw = full;
    em.setPrice('BTCUSDT', '60600.0');
    await firstRefusal;
    const sent = () => ({
      cancels: em.counter.servedOn(CANCEL),
      places: em.counter.servedOn(PLACE),
    });
    const before = sent();
    // Closed elsewhere: our stop is now an orphan on a flat symbol.
    em.closePosition('BTCUSDT');
    // Two whole reconciliations later (each reads the open stops, then acts on them).
    await em.counter.whenServed(READ_STOPS, em.counter.servedOn(READ_STOPS) + 2);
    expect(rig.alerts.some((a) => a.includes('could not be recorded'))).toBe(true);
    expect(sent()).toEqual(before);
    expect(em.state().openOrders).toHaveLength(1);
  }, 60_000);
});
