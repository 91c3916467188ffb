import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlSocketPath, sendControl, serveControl } from '../../src/engine/controlServer.ts';
import { engineControl } from '../../src/engine/engineControl.ts';
import type { PositionStatus } from '../../src/engine/liveEngine.ts';
import { allSettled, liveRigs, openStops } from './engineHarness.ts';

const live = liveRigs();

describe('controlling a running engine over its socket', () => {
  it('pauses (stops stay), resumes (stops follow), reports status and flattens', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    const control = await serveControl(rig.dataDir, engineControl(rig.engine));
    live.cleanup(() => control.close());
    await rig.until(() => allSettled(rig), 'stop rests');
    await rig.feedReady('BTCUSDT');

    await sendControl(rig.dataDir, 'pause');
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(() => rig.engine.status()[0]?.desiredStop === '60390', 'desired moves');
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['58800']);
    const status = (await sendControl(rig.dataDir, 'status')) as {
      paused: unknown;
      positions: PositionStatus[];
    };
    expect(status.paused).toMatchObject({ reason: 'operator' });
    expect(status.positions[0]).toMatchObject({ desiredStop: '60390', restingStop: '58800' });

    await sendControl(rig.dataDir, 'resume');
    await rig.until(() => allSettled(rig), 'stop follows after resume');
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['60390']);

    await sendControl(rig.dataDir, 'flatten');
    await rig.until(() => rig.engine.status().length === 0, 'flat and cleaned up');
    expect(em.state().positions).toEqual([]);
    expect(em.state().openOrders).toEqual([]);
    expect(rig.engine.paused).toMatchObject({ reason: 'operator' });
    // Each action is journaled, in order, under the engine's own journal.
    const { entries } = await rig.store.readJournal();
    const journaled = entries.filter((e) => e.positionId === 'engine');
    expect(journaled.map((e) => [e.seq, e.event.type])).toEqual([
      [1, 'paused'],
      [2, 'resumed'],
      [3, 'paused'],
      [4, 'flattenRequested'],
    ]);
    const positionId = entries.find((e) => e.positionId !== 'engine')?.positionId;
    expect(journaled[3]?.event).toMatchObject({ reason: 'operator', positions: [positionId] });
  }, 120_000);

  it('answers garbage and unknown commands with a reason, and a missing engine clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-control-'));
    const control = await serveControl(dir, () => Promise.resolve('unused'));
    live.cleanup(() => control.close());
    const ask = (line: string) =>
      new Promise<string>((resolve) => {
        let answer = '';
        const socket = connect(controlSocketPath(dir), () => socket.write(line));
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => (answer += d));
        socket.on('end', () => resolve(answer));
      });
    expect(JSON.parse(await ask('hello\n'))).toMatchObject({ ok: false });
    expect(await ask('{"command":"sell"}\n')).toMatch(/unknown command \\"sell\\"/);
    expect(JSON.parse(await ask('x'.repeat(10_000)))).toMatchObject({ ok: false });
    await expect(sendControl('/nonexistent-ratchet-dir', 'status')).rejects.toThrow(
      /no engine is running/,
    );
  });
});
