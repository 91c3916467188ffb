import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import {
  allSettled,
  openStops,
  startEngine,
  startTestEmulator,
  type EngineRig,
} from './engineHarness.ts';

let em: Emulator | undefined;
let rig: EngineRig | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  rig = em = undefined;
});

describe('a position reopened on the same side the moment its predecessor closed', () => {
  for (const [side, how] of [
    ['long', 'stop'],
    ['short', 'stop'],
    ['long', 'hand'],
    ['short', 'hand'],
  ] as const) {
    it(`${side}, closed by ${how === 'stop' ? 'its stop' : 'hand (its stop left resting)'}: the new one gets its own stop, and no stop of ours protects a position it does not belong to`, async () => {
      em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      rig = await startEngine(em, { config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig as EngineRig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      const first = rig.engine.status()[0]?.id;
      // It closes, and a new position on the same side opens at once.
      if (how === 'stop') em.setPrice('BTCUSDT', side === 'long' ? '58000.0' : '62000.0');
      else em.closePosition('BTCUSDT');
      em.openPosition('BTCUSDT', side, '0.010');
      const r = rig;
      await r.until(
        () =>
          allSettled(r) &&
          r.engine.status().length === 1 &&
          r.engine.status()[0]?.id !== first &&
          r.engine.status()[0]?.restingStop !== null,
        'the new position rests its own stop',
      );
      const now = em.state();
      const open = now.protection.filter((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
      expect(open).toHaveLength(1);
      expect(open[0]?.unprotectedMsSinceFirstProtected).toBe(0);
      expect(openStops(em, 'BTCUSDT')).toHaveLength(1);
    }, 60_000);
  }
});
