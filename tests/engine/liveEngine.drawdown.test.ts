import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs } from './engineHarness.ts';

const live = liveRigs();

describe('the drawdown breaker', () => {
  it.each(['pause', 'flatten'] as const)(
    'trips once on a breach and runs %s, then stays until resume',
    async (action) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', 'long', '1.000');
      const rig = await live.engine(em, {
        config: { symbols: ['BTCUSDT'] },
        engine: { risk: { maxDrawdownPercent: '1', windowMs: 86_400_000, action } },
      });
      await rig.until(() => allSettled(rig), 'stop rests');
      await rig.feedReady('BTCUSDT');
      // 1 BTC falling 150: equity 10 000 → 9 850, 1.5 % below its peak; the 2 % stop holds.
      em.setPrice('BTCUSDT', '59850.0');
      await rig.until(() => rig.engine.paused !== null, 'breaker trips');
      expect(rig.engine.paused?.reason).toMatch(
        /drawdown breaker: equity 9850 is 1\.5 % below its peak 10000/,
      );
      expect(rig.alerts.some((a) => a.includes('drawdown breaker'))).toBe(true);
      if (action === 'flatten') {
        await rig.until(() => rig.engine.status().length === 0, 'flat');
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
