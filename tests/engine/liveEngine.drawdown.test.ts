import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { allSettled, startEngine, startTestEmulator, type EngineRig } from './engineHarness.ts';

let em: Emulator | undefined;
let rig: EngineRig | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  rig = em = undefined;
});

describe('the drawdown breaker', () => {
  it.each(['pause', 'flatten'] as const)(
    'trips once on a breach and runs %s, then stays until resume',
    async (action) => {
      em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', 'long', '1.000');
      rig = await startEngine(em, {
        config: { symbols: ['BTCUSDT'] },
        engine: { risk: { maxDrawdownPercent: '1', windowMs: 86_400_000, action } },
      });
      await rig.until(() => allSettled(rig as EngineRig), 'stop rests');
      await rig.feedReady('BTCUSDT');
      // 1 BTC falling 150: equity 10 000 → 9 850, 1.5 % below its peak; the 2 % stop holds.
      em.setPrice('BTCUSDT', '59850.0');
      await rig.until(() => rig!.engine.paused !== null, 'breaker trips');
      expect(rig.engine.paused?.reason).toMatch(
        /drawdown breaker: equity 9850 is 1\.5 % below its peak 10000/,
      );
      expect(rig.alerts.some((a) => a.includes('drawdown breaker'))).toBe(true);
      if (action === 'flatten') {
        await rig.until(() => rig!.engine.status().length === 0, 'flat');
        expect(em.state().positions).toEqual([]);
      } else {
        expect(em.state().positions).toHaveLength(1);
        expect(em.state().openOrders).toHaveLength(1);
      }
      await rig.engine.resume();
      expect(rig.engine.paused).toBeNull();
    },
    120_000,
  );
});
