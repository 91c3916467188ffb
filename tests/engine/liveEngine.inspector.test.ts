import { describe, expect, it } from 'vitest';
import { serveInspector } from '../../src/inspector/serveInspector.ts';
import { allSettled, liveRigs } from './engineHarness.ts';

const live = liveRigs();

describe('the inspector over a running engine', () => {
  it('lists live positions and receives each step of their statecharts', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const inspector = await serveInspector({ positions: [], port: 0 });
    live.cleanup(() => inspector.close());
    const hub = inspector.hub;
    const rig = await live.engine(em, { engine: { inspection: hub } });
    await rig.until(() => allSettled(rig), 'stop rests');
    await rig.feedReady('BTCUSDT');
    const id = rig.engine.status()[0]?.id as string;
    const listed = (await (
      await fetch(new URL('/api/positions', inspector.url))
    ).json()) as unknown;
    expect(JSON.stringify(listed)).toContain(id);
    const seen = (price: string) =>
      hub.history(id)?.records.some((r) => r.input.type === 'PRICE' && r.input.price === price) ??
      false;
    em.setPrice('BTCUSDT', '60100.0');
    await rig.until(() => seen('60100'), 'a record for the tick');
    expect(seen('60100')).toBe(true);
  }, 120_000);
});
