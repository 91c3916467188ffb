import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs, type EngineRig } from './engineHarness.ts';

// Found by the chaos soak (bench/soak.ts, clockSkew faults): the engine measures the venue's
// clock once, at start. When the venue's clock then moves by 1.5 s against ours (a skew that
// ends, or one that begins), every signed request answers -1021 and the engine retries the same
// signature offset for ever: the stop stops trailing (a new position would get no stop at all).
// The venue's error says what to do — resync the time offset, then retry.

const live = liveRigs();

const clockSkewFailures = (r: EngineRig): number =>
  [...r.engine.requestCounts.errors].reduce(
    (n, [key, count]) => (key.endsWith(':clockSkew') ? n + count : n),
    0,
  );

describe('the engine after the venue clock moves by 1.5 s', () => {
  it.each([
    {
      name: 'a skew present at start ends (the venue falls 1.5 s behind our offset)',
      before: 1500,
      after: 0,
    },
    { name: 'a skew begins while running (the venue runs 1.5 s behind)', before: 0, after: -1500 },
  ])(
    '$name: it resyncs and the stop trails again',
    async ({ before, after }) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.injectFaults({ clockSkewMs: before });
      em.openPosition('BTCUSDT', 'long', '0.010');
      const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      em.injectFaults({ clockSkewMs: after });
      em.setPrice('BTCUSDT', '60500.0');
      // Either the stop reaches 1 % under the new price, or the engine keeps failing on the clock.
      await rig.until(
        () =>
          (allSettled(rig) && Number(rig.engine.status()[0]?.restingStop) === 59895) ||
          clockSkewFailures(rig) >= 10,
        'the stop trails, or ten -1021 in a row',
      );
      expect(clockSkewFailures(rig)).toBeLessThan(10);
      expect(rig.engine.status()[0]?.restingStop).toBe('59895');
    },
    60_000,
  );
});
