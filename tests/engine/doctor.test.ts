import { describe, expect, it } from 'vitest';
import { runDoctor, doctorTable } from '../../src/cli/doctor.ts';
import { serveControl } from '../../src/engine/controlServer.ts';
import { engineControl } from '../../src/engine/engineControl.ts';
import { allSettled, liveRigs, testConfig } from './engineHarness.ts';

const live = liveRigs();

describe('ratchet doctor', () => {
  it('finds a running engine consistent; a stopped one with a stop cancelled behind its back, a duplicate, a position closed and one opened while down inconsistent', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0', ETHUSDT: '3000.00' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'short', '0.50');
    const rig = await live.engine(em);
    const control = await serveControl(rig.dataDir, engineControl(rig.engine));
    live.cleanup(() => control.close());
    await rig.until(() => allSettled(rig) && rig.engine.status().length === 2, 'both rest');
    const config = testConfig(em, rig.dataDir);

    const running = await runDoctor(config, rig.dataDir);
    expect(running).toMatchObject({ engine: 'running', consistent: true, problems: [] });
    expect(running.positions.map((p) => [p.symbol, p.actor?.restingStop, p.stops.length])).toEqual([
      ['BTCUSDT', '58800', 1],
      ['ETHUSDT', '3060', 1],
    ]);

    const { dataDir, venue } = rig;
    const btcStop = (await venue.fetchOpenStops()).find((s) => s.symbol === 'BTCUSDT');
    await control.close();
    await rig.shutdown();
    // While the engine is down: someone cancels its BTC stop and closes ETH elsewhere.
    const other = await (
      await import('../../src/venues/binance/createBinanceVenue.ts')
    ).createBinanceVenue({
      apiKey: em.apiKey,
      secret: em.secret,
      url: em.restUrl,
    });
    await other.cancelStop('BTCUSDT', btcStop?.id as string);
    // Two stops with our prefix on BTC (a duplicate), and ETH closed, then opened long.
    for (const [clientId, stopPrice] of [
      ['rt-dup-1', '58000'],
      ['rt-dup-2', '58100'],
    ] as const)
      await other.placeStop({
        symbol: 'BTCUSDT',
        positionSide: 'long',
        quantity: '0.01',
        stopPrice,
        clientId,
        workingType: 'MARK_PRICE',
      });
    await other.close();
    em.closePosition('ETHUSDT');
    em.openPosition('ETHUSDT', 'long', '0.50');

    // `ratchet status` reads only a running engine, and says so when none answers.
    await expect(runDoctor(config, dataDir, { requireRunning: true })).rejects.toThrow(
      /no engine answers on its control socket/,
    );
    const stopped = await runDoctor(config, dataDir);
    expect(stopped.engine).toBe('stopped');
    expect(stopped.consistent).toBe(false);
    expect(stopped.problems.map((p) => `${p.kind} ${p.symbol}`).sort()).toEqual([
      'actorWithoutPosition ETHUSDT',
      'duplicateStops BTCUSDT',
      'positionWithoutActor ETHUSDT',
      'positionWithoutStop ETHUSDT',
      'restingNotOnExchange BTCUSDT',
      'stopWithoutPosition ETHUSDT',
    ]);
    expect(doctorTable(stopped)).toMatch(/6 problem\(s\)/);
  }, 120_000);
});
