import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs, openStops } from './engineHarness.ts';

const live = liveRigs();

// Found by the 30-minute Bybit soak: a Bybit stop moves in place under one id, so a move that
// lands out of order (a timed-out amend executed after the one that replaced it) leaves the
// exchange's stop elsewhere than the engine believes, with nothing in the order list to say so.
describe('on Bybit, a position stop moved behind the engine’s back (real ccxt against the emulator)', () => {
  it.each(['long', 'short'] as const)(
    '%s: reconciliation finds it by its price and puts the stop back where it belongs',
    async (side) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      const rig = await live.engine(em, { on: 'bybit', config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig), 'first stop rests');
      const want = new Decimal(rig.engine.status()[0]?.desiredStop ?? '0').toString();
      // The exchange's stops on BTCUSDT, prices written the one way.
      const resting = () =>
        openStops(em, 'BTCUSDT').map((s) => new Decimal(s.stopPrice).toString());
      expect(resting()).toEqual([want]);
      // 1 % looser, set on the exchange as a late request would.
      const looser = new Decimal(
        new Decimal(want).times(side === 'long' ? '0.99' : '1.01').toFixed(1),
      ).toString();
      em.exchange.setPositionStop('BTCUSDT', new Decimal(looser), 'CONTRACT_PRICE');
      expect(resting()).toEqual([looser]);
      await rig.until(
        () => allSettled(rig) && resting()[0] === want,
        `the stop is back at ${want}`,
      );
      expect(new Decimal(rig.engine.status()[0]?.restingStop ?? '0').toString()).toBe(want);
    },
    60_000,
  );
});
