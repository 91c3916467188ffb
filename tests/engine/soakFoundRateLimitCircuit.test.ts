import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs } from './engineHarness.ts';

// Found by the chaos soak (seed 42, a burst429 of 6 requests with Retry-After 0 at 66 s): the
// rate-limited answers count as failures against the venue's circuit breaker, so a short burst
// that the engine's own retries run into (five placements in a row) opens the circuit for 30 s. For those 30 s a position
// opened meanwhile gets no stop at all, and the virtual stop's market close is refused too —
// although the venue said, with Retry-After, exactly when it would answer again.

const live = liveRigs();

describe('a short 429 burst with Retry-After', () => {
  it('does not keep a new position without a stop once the venue answers again', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0', ETHUSDT: '3000.00' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT', 'ETHUSDT'] } });
    await rig.until(() => allSettled(rig), 'first stop rests');
    // The next six placements answer 429 (-1003): the venue answers again right after them.
    em.injectFaults({
      reject: {
        count: 6,
        endpoint: 'POST /fapi/v1/algoOrder',
        code: -1003,
        msg: 'Too many requests; current limit is 2400 request weight per 1 MINUTE.',
        status: 429,
      },
    });
    em.openPosition('ETHUSDT', 'short', '0.500');
    const ethProtected = () =>
      em.state().positions.find((p) => p.symbol === 'ETHUSDT')?.isProtected;
    const circuitOpened = () => rig.alerts.some((a) => a.startsWith('circuit opened'));
    await rig.until(
      () => ethProtected() === true || circuitOpened(),
      'ETH has its stop, or the circuit opened',
    );
    expect(rig.alerts.filter((a) => a.startsWith('circuit opened'))).toEqual([]);
    expect(ethProtected()).toBe(true);
  }, 60_000);
});
