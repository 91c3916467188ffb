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
  rig = undefined;
  em = undefined;
});

describe('ratchet run against the emulator (real ccxt)', () => {
  it('places a stop for every position found at start, long and short', async () => {
    em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0', ETHUSDT: '3000.00' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'short', '0.50');
    rig = await startEngine(em);
    await rig.until(
      () => allSettled(rig as EngineRig) && rig!.engine.status().length === 2,
      'both stops rest',
    );
    const btc = openStops(em, 'BTCUSDT');
    const eth = openStops(em, 'ETHUSDT');
    expect(btc.map((s) => s.stopPrice)).toEqual(['58800']);
    expect(eth.map((s) => s.stopPrice)).toEqual(['3060']);
    expect([...btc, ...eth].every((s) => s.clientId.startsWith('rt-'))).toBe(true);
  });

  it.each(['long', 'short'] as const)(
    'follows 100 moves make-before-break with no naked time (%s)',
    async (side) => {
      em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      rig = await startEngine(em, { config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig as EngineRig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      let price = 60000;
      for (let i = 0; i < 100; i++) {
        price += side === 'long' ? 10 : -10;
        const text = price.toFixed(1);
        em.setPrice('BTCUSDT', text);
        await rig.until(
          () =>
            rig!.engine.status()[0] !== undefined &&
            allSettled(rig as EngineRig) &&
            Number(rig!.engine.status()[0]?.desiredStop) ===
              Number((side === 'long' ? price * 0.99 : price * 1.01).toFixed(1)),
          `stop follows ${text}`,
        );
      }
      const record = em
        .state()
        .protection.find((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
      expect(record?.firstProtectedAt).not.toBeNull();
      expect(record?.unprotectedMsSinceFirstProtected).toBe(0);
      expect(openStops(em, 'BTCUSDT')).toHaveLength(1);
      expect(rig.engine.status()[0]?.gapMs).toBe(0);
    },
    600_000,
  );
});
