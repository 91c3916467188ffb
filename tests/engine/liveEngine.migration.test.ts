import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { openPositionStore } from '../../src/store/positionStore.ts';
import { snapshotKey } from '../../src/store/storeKeys.ts';
import type { SnapshotEnvelope } from '../../src/store/envelope.ts';
import { allSettled, liveRigs, openStops } from './engineHarness.ts';

const live = liveRigs();

/** Writes a version-2 position context back in the shape machine version 1 wrote: decimal text. */
function asVersion1(context: Record<string, unknown>): Record<string, unknown> {
  const scale = context['scale'] as number;
  const text = (units: unknown) =>
    units === null ? null : new Decimal(units as number).div(new Decimal(10).pow(scale)).toFixed();
  const flat = context['window'] as number[];
  const window: [number, string | null][] = [];
  for (let i = 0; i < flat.length; i += 2) window.push([flat[i] as number, text(flat[i + 1])]);
  const old: Record<string, unknown> = { ...context };
  for (const key of ['scale', 'last', 'peak', 'step']) delete old[key];
  return {
    ...old,
    lastPrice: text(context['last']),
    peakPrice: text(context['peak']),
    extreme: text(context['extreme']),
    window,
    offers: [],
    windowMs: 0,
  };
}

describe('a live data directory written by an older build', () => {
  it('resumes its positions through the snapshot migrations and moves their stops on', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const first = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    await first.until(() => allSettled(first), 'the first stop rests');
    const { dataDir } = first;
    await first.shutdown();

    const store = await openPositionStore(dataDir);
    const { envelopes } = await store.listEnvelopes();
    expect(envelopes).toHaveLength(2);
    for (const envelope of envelopes) {
      const context = envelope.snapshot.context as Record<string, unknown>;
      const old: SnapshotEnvelope = {
        ...envelope,
        machineVersion: 1,
        snapshot: {
          ...envelope.snapshot,
          context: 'peak' in context ? asVersion1(context) : context,
        },
      };
      await store.putRaw(snapshotKey(envelope.positionId), JSON.stringify(old));
    }
    await store.close();

    const rig = await live.engine(em, { dataDir, config: { symbols: ['BTCUSDT'] } });
    await rig.feedReady('BTCUSDT');
    expect(rig.engine.status()).toMatchObject([{ restingStop: '58800', desiredStop: '58800' }]);
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(
      () => allSettled(rig) && rig.engine.status()[0]?.restingStop === '60390',
      'the stop follows the new high',
    );
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['60390']);
    expect(rig.alerts).toEqual([]);
  }, 120_000);
});
