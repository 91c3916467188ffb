import { describe, expect, it } from 'vitest';
import { allSettled, liveRigs, openStops, VENUES } from './engineHarness.ts';

const live = liveRigs();

// On Bybit a position's stop is the position's own (one id per symbol): a predecessor that
// "cancels its leftover" there clears the new position's stop.
describe.each(VENUES)(
  'on %s, a position reopened on the same side the moment its predecessor closed',
  (on) => {
    for (const [side, how] of [
      ['long', 'stop'],
      ['short', 'stop'],
      ['long', 'hand'],
      ['short', 'hand'],
    ] as const) {
      it(`${side}, closed by ${how === 'stop' ? 'its stop' : 'hand (its stop left resting)'}: the new one gets its own stop, and no stop of ours protects a position it does not belong to`, async () => {
        const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
        em.openPosition('BTCUSDT', side, '0.010');
        const rig = await live.engine(em, { on, config: { symbols: ['BTCUSDT'] } });
        await rig.until(() => allSettled(rig), 'first stop rests');
        await rig.feedReady('BTCUSDT');
        const first = rig.engine.status()[0]?.id;
        // It closes, and a new position on the same side opens at once.
        if (how === 'stop') em.setPrice('BTCUSDT', side === 'long' ? '58000.0' : '62000.0');
        else em.closePosition('BTCUSDT');
        em.openPosition('BTCUSDT', side, '0.010');
        await rig.until(
          () =>
            allSettled(rig) &&
            rig.engine.status().length === 1 &&
            rig.engine.status()[0]?.id !== first &&
            rig.engine.status()[0]?.restingStop !== null,
          'the new position rests its own stop',
        );
        const now = em.state();
        const open = now.protection.filter((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
        expect(open).toHaveLength(1);
        expect(open[0]?.unprotectedMsSinceFirstProtected).toBe(0);
        expect(openStops(em, 'BTCUSDT')).toHaveLength(1);
      }, 60_000);
    }
  },
);
