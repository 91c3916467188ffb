import { afterEach, describe, expect, it } from 'vitest';
import { serveInspector, type ServedInspector } from '../../src/inspector/serveInspector.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { allSettled, startEngine, startTestEmulator, type EngineRig } from './engineHarness.ts';

let em: Emulator | undefined;
let rig: EngineRig | undefined;
let inspector: ServedInspector | undefined;
afterEach(async () => {
  await rig?.shutdown();
  await em?.close();
  await inspector?.close();
  rig = undefined;
  em = undefined;
  inspector = undefined;
});

describe('the inspector over a running engine', () => {
  it('lists live positions and receives each step of their statecharts', async () => {
    em = await startTestEmulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    inspector = await serveInspector({ positions: [], port: 0 });
    const hub = inspector.hub;
    rig = await startEngine(em, { engine: { inspection: hub } });
    await rig.until(() => allSettled(rig as EngineRig), 'stop rests');
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
