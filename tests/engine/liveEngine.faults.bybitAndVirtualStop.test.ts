import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs, openStops, VENUES } from './engineHarness.ts';
import { BYBIT_FAULTS, moveThrough, nakedTimeReport, stopOf } from './faultMoves.ts';

const live = liveRigs();
const naked = nakedTimeReport();

describe('atomic amend under faults on Bybit (real ccxt against the emulator)', () => {
  for (const side of ['long', 'short'] as const) {
    it.each(BYBIT_FAULTS)(
      `${side}: $name — no naked time, the position's stop where it belongs`,
      async ({ name, faults }) => {
        const { em, price } = await moveThrough(live, 'bybit', side, faults);
        expect(naked.record(`bybit ${side}: ${name}`, em)).toBe(0);
        expect(openStops(em, 'BTCUSDT')).toEqual([
          { clientId: '', stopPrice: String(stopOf(side, price)) },
        ]);
        expect(em.state().positions[0]?.positionStop?.workingType).toBe('CONTRACT_PRICE');
      },
      120_000,
    );
  }
});

describe.each(VENUES)('the virtual stop on %s', (on) => {
  it.each(['long', 'short'] as const)(
    '%s: a gap through the desired stop while the resting stop lags closes at market',
    async (side) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      // The interval holds the resting stop back: only the first placement goes out.
      const rig = await live.engine(em, {
        on,
        config: {
          symbols: ['BTCUSDT'],
          protection: {
            minIntervalSeconds: 3600,
            minImprovementPercent: 0.1,
            emergencyPercent: 50,
            workingType: 'CONTRACT_PRICE',
          },
        },
      });
      await rig.until(() => allSettled(rig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      const initial = rig.engine.status()[0]?.restingStop;
      em.setPrice('BTCUSDT', side === 'long' ? '61000.0' : '59000.0');
      await rig.until(
        () =>
          Number(rig.engine.status()[0]?.desiredStop) ===
          stopOf(side, side === 'long' ? 61000 : 59000),
        'desired stop moved',
      );
      expect(rig.engine.status()[0]?.restingStop).toBe(initial);
      // Through the desired stop, not through the resting one.
      em.setPrice('BTCUSDT', '60000.0');
      await rig.until(() => rig.engine.status().length === 0, 'position closed and cleaned up');
      const s = em.state();
      expect(s.positions).toEqual([]);
      expect(openStops(em, 'BTCUSDT')).toEqual([]);
      const close = s.orders.find((o) => String(o['clientOrderId']).startsWith('rt-'));
      expect(close).toMatchObject({ type: 'MARKET', reduceOnly: true, status: 'FILLED' });
    },
    120_000,
  );
});
