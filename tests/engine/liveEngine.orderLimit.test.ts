import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs, openStops } from './engineHarness.ts';

const live = liveRigs();

// The one case where make-before-break cannot hold: the account already rests as many
// conditional orders as Binance allows (-4045), so a second stop cannot be placed before the
// first goes. The engine must say so, move by cancel-then-create, keep every stop where it
// belongs, and go back to make-before-break as soon as there is room.
describe('at the account conditional-order limit (real ccxt against the emulator)', () => {
  it.each(['long', 'short'] as const)(
    '%s: alerts once, moves by cancel-then-create within the limit, and the gap is the only naked time',
    async (side) => {
      const em = await live.emulator({
        startPrices: { BTCUSDT: '60000.0', ETHUSDT: '3000.00' },
        maxOpenAlgoOrders: 2,
      });
      em.openPosition('BTCUSDT', side, '0.010');
      em.openPosition('ETHUSDT', side === 'long' ? 'short' : 'long', '0.500');
      const rig = await live.engine(em, { config: { symbols: ['BTCUSDT', 'ETHUSDT'] } });
      await rig.until(
        () => allSettled(rig) && em.state().openOrders.length === 2,
        'both stops rest: the account is at its limit',
      );
      await rig.feedReady('BTCUSDT');
      let most = 0;
      let price = 60000;
      for (let i = 0; i < 3; i++) {
        price += side === 'long' ? 300 : -300;
        em.setPrice('BTCUSDT', price.toFixed(1));
        const want = (side === 'long' ? price * 0.99 : price * 1.01).toFixed(1);
        await rig.until(() => {
          most = Math.max(most, em.state().openOrders.length);
          return (
            allSettled(rig) &&
            openStops(em, 'BTCUSDT').map((s) => Number(s.stopPrice).toFixed(1))[0] === want
          );
        }, `the BTC stop rests at ${want}`);
      }
      expect(most).toBe(2);
      expect(openStops(em, 'BTCUSDT')).toHaveLength(1);
      expect(openStops(em, 'ETHUSDT')).toHaveLength(1);
      expect(rig.alerts.filter((a) => a.includes('conditional-order limit'))).toHaveLength(1);
      const record = (symbol: string) =>
        em.state().protection.find((p) => p.symbol === symbol && p.closedAt === null);
      // Cancel-then-create leaves BTC without a stop between the two answers; ETH never moved.
      expect(record('BTCUSDT')?.unprotectedMsSinceOwnStop).toBeGreaterThan(0);
      expect(record('ETHUSDT')?.unprotectedMsSinceOwnStop).toBe(0);
      const btc = rig.engine.status().find((p) => p.symbol === 'BTCUSDT');
      expect(btc?.gapMs).toBeGreaterThan(0);

      // Room again (the ETH position closes and its stop goes): the next move is make-before-break.
      em.closePosition('ETHUSDT');
      await rig.until(
        () => allSettled(rig) && em.state().openOrders.length === 1,
        'the ETH stop is cancelled',
      );
      const gapBefore = record('BTCUSDT')?.unprotectedMsSinceOwnStop;
      price += side === 'long' ? 300 : -300;
      em.setPrice('BTCUSDT', price.toFixed(1));
      const want = (side === 'long' ? price * 0.99 : price * 1.01).toFixed(1);
      await rig.until(
        () =>
          allSettled(rig) &&
          openStops(em, 'BTCUSDT').map((s) => Number(s.stopPrice).toFixed(1))[0] === want,
        `the BTC stop rests at ${want}`,
      );
      expect(record('BTCUSDT')?.unprotectedMsSinceOwnStop).toBe(gapBefore);
    },
    60_000,
  );
});
