import { describe, expect, it } from 'vitest';
import type { VenuePosition } from '../../src/venues/port.ts';
import { allSettled, liveRigs } from './engineHarness.ts';

// Found by the chaos soak (seed 42, BNBUSDT at about 1010 s, frozen market and lost answers
// standing): a position's stop fired, the account stream said flat and the engine ended the
// position's actors; a reconciliation whose position list was read just before the fire then
// took "the" position in charge again — under the very id of the one that had ended, so its
// journal started over at seq 1 and the soak found it broken.

const live = liveRigs();

describe('a position list read before the position went flat', () => {
  it('does not bring the ended position back', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => allSettled(rig), 'first stop rests');
    await rig.feedReady('BTCUSDT');
    const id = rig.engine.status()[0]?.id;
    // The next position list is read at once but handed over only when the test says so.
    const venue = rig.venue as { fetchPositions: () => Promise<VenuePosition[]> };
    const read = venue.fetchPositions.bind(venue);
    let handOver!: () => void;
    const held = new Promise<void>((resolve) => (handOver = resolve));
    let stale: VenuePosition[] | undefined;
    let listRead!: (rows: VenuePosition[]) => void;
    const firstList = new Promise<VenuePosition[]>((resolve) => (listRead = resolve));
    venue.fetchPositions = async () => {
      const rows = await read();
      if (stale !== undefined) return rows;
      stale = rows;
      listRead(rows);
      await held;
      return rows;
    };
    const reconciled = rig.engine.reconcileNow();
    expect((await firstList).map((p) => p.symbol)).toEqual(['BTCUSDT']);
    // The stop fires: the position is flat and its actors end.
    em.setPrice('BTCUSDT', '58000.0');
    await rig.until(() => rig.engine.status().length === 0, 'the position ended');
    handOver();
    await reconciled;
    expect(rig.engine.status()).toEqual([]);
    expect(em.state().positions).toEqual([]);
    // Its journal runs on from where it stopped: no second "opened".
    const journal = (await rig.store.readJournal()).entries.filter((e) => e.positionId === id);
    expect(journal.filter((e) => e.event.type === 'opened')).toHaveLength(1);
    expect(journal.map((e) => e.seq)).toEqual(journal.map((_, i) => i + 1));
  }, 60_000);
});
