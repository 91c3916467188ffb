import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { allSettled, startEngine, startTestEmulator, type EngineRig } from './engineHarness.ts';

// Found by the chaos soak (bench/soak.ts, clockSkew faults): the engine measures the venue's
// clock once, at start. When the venue's clock then moves by 1.5 s against ours (a skew that
// ends, or one that begins), every signed request answers -1021 and the engine retries the same
// signature offset for ever: the stop stops trailing (a new position would get no stop at all).
// The venue's error says what to do — resync the time offset, then retry.

let em: Emulator | undefined;
let rig: EngineRig | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  rig = undefined;
  em = undefined;
});

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
      em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.injectFaults({ clockSkewMs: before });
      em.openPosition('BTCUSDT', 'long', '0.010');
      rig = await startEngine(em, { config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig as EngineRig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      em.injectFaults({ clockSkewMs: after });
      em.setPrice('BTCUSDT', '60500.0');
      const r = rig;
      // Either the stop reaches 1 % under the new price, or the engine keeps failing on the clock.
      await r.until(
        () =>
          (allSettled(r) && Number(r.engine.status()[0]?.restingStop) === 59895) ||
          clockSkewFailures(r) >= 10,
        'the stop trails, or ten -1021 in a row',
      );
      expect(clockSkewFailures(r)).toBeLessThan(10);
      expect(r.engine.status()[0]?.restingStop).toBe('59895');
    },
    60_000,
  );
});
