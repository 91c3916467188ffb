import { afterAll, describe, expect, it } from 'vitest';
import { createBinanceVenue } from '../../src/venues/binance/createBinanceVenue.ts';
import { allSettled, isOurs, liveRigs, openStops, VENUES } from './engineHarness.ts';

const live = liveRigs();

/** What 100 moves cost on each venue, printed at the end (the headline numbers). */
const moves: Record<string, unknown> = {};
afterAll(() => {
  console.log(`100 moves per venue and side: ${JSON.stringify(moves)}`);
});

const stopOf = (side: 'long' | 'short', price: number) =>
  Number((side === 'long' ? price * 0.99 : price * 1.01).toFixed(1));

describe.each(VENUES)('ratchet run against the emulator on %s (real ccxt)', (on) => {
  it('places a stop for every position found at start, long and short', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0', ETHUSDT: '3000.00' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'short', '0.50');
    const rig = await live.engine(em, { on });
    await rig.until(() => allSettled(rig) && rig.engine.status().length === 2, 'both stops rest');
    const btc = openStops(em, 'BTCUSDT');
    const eth = openStops(em, 'ETHUSDT');
    expect(btc.map((s) => s.stopPrice)).toEqual(['58800']);
    expect(eth.map((s) => s.stopPrice)).toEqual(['3060']);
    expect([...btc, ...eth].every((s) => isOurs(rig, s))).toBe(true);
  });

  it.each(['long', 'short'] as const)(
    'follows 100 moves with no naked time (%s)',
    async (side) => {
      const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
      em.openPosition('BTCUSDT', side, '0.010');
      const rig = await live.engine(em, { on, config: { symbols: ['BTCUSDT'] } });
      await rig.until(() => allSettled(rig), 'first stop rests');
      await rig.feedReady('BTCUSDT');
      const servedBefore = em.counter.served();
      const sentBefore = new Map(rig.engine.requestCounts.requests);
      let price = 60000;
      for (let i = 0; i < 100; i++) {
        price += side === 'long' ? 10 : -10;
        const text = price.toFixed(1);
        em.setPrice('BTCUSDT', text);
        await rig.until(
          () =>
            rig.engine.status()[0] !== undefined &&
            allSettled(rig) &&
            Number(rig.engine.status()[0]?.desiredStop) === stopOf(side, price),
          `stop follows ${text}`,
        );
      }
      const record = em
        .state()
        .protection.find((p) => p.symbol === 'BTCUSDT' && p.closedAt === null);
      const sent: Record<string, number> = {};
      for (const [command, n] of rig.engine.requestCounts.requests)
        if (n > (sentBefore.get(command) ?? 0)) sent[command] = n - (sentBefore.get(command) ?? 0);
      moves[`${on} ${side}`] = {
        unprotectedMs: record?.unprotectedMsSinceFirstProtected,
        orderCallsPerMove: Object.values(sent).reduce((a, b) => a + b, 0) / 100,
        restRequestsPerMove: (em.counter.served() - servedBefore) / 100,
        orderCalls: sent,
      };
      expect(record?.firstProtectedAt).not.toBeNull();
      expect(record?.unprotectedMsSinceFirstProtected).toBe(0);
      expect(openStops(em, 'BTCUSDT').map((s) => Number(s.stopPrice))).toEqual([
        stopOf(side, price),
      ]);
      expect(rig.engine.status()[0]?.gapMs).toBe(0);
      // Binance moves make-before-break (place, then cancel); Bybit amends in place.
      expect(sent).toEqual(
        on === 'bybit' ? { amendStop: 100 } : { placeStop: 100, cancelStop: 100 },
      );
    },
    600_000,
  );

  it('resumes after a restart: adopts the resting stop without placing another, then follows', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const first = await live.engine(em, { on, config: { symbols: ['BTCUSDT'] } });
    await first.until(() => allSettled(first), 'first stop rests');
    const dataDir = first.dataDir;
    await first.shutdown();
    // While the engine is down the price rises; the stop stays where it rested.
    em.setPrice('BTCUSDT', '60500.0');
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['58800']);
    const rig = await live.engine(em, { on, dataDir, config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => allSettled(rig), 'the stop follows the price seen at restart');
    expect(rig.engine.requestCounts.requests.get('placeStop')).toBeUndefined();
    expect(rig.engine.status()).toHaveLength(1);
    await rig.feedReady('BTCUSDT');
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(
      () => allSettled(rig) && rig.engine.status()[0]?.desiredStop === '60390',
      'stop follows after the restart',
    );
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['60390']);
    expect(em.state().protection.at(-1)?.unprotectedMsSinceFirstProtected).toBe(0);
  });

  it('a position closed while the engine was down leaves no stop behind after the restart', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'short', '0.010');
    const first = await live.engine(em, { on, config: { symbols: ['BTCUSDT'] } });
    await first.until(() => allSettled(first), 'first stop rests');
    const dataDir = first.dataDir;
    await first.shutdown();
    em.closePosition('BTCUSDT');
    const rig = await live.engine(em, { on, dataDir, config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => rig.engine.status().length === 0, 'the old position is cleaned up');
    expect(em.state().positions).toEqual([]);
    expect(openStops(em, 'BTCUSDT')).toEqual([]);
  });

  it('waits out a rate-limited venue at start instead of giving up', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.injectFaults({ burst429: { requests: 3, retryAfterSec: 0 } });
    const rig = await live.engine(em, { on, config: { symbols: ['BTCUSDT'] } });
    await rig.until(() => allSettled(rig), 'the stop rests');
    expect(openStops(em, 'BTCUSDT')).toHaveLength(1);
  });
});

// The stray stop is placed through a second Binance client: a conditional order with our prefix.
describe('ratchet run against the emulator on binance only (real ccxt)', () => {
  it('adopts a stray stop of ours for a position it takes in charge, then moves on from it', async () => {
    const em = await live.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const other = await createBinanceVenue({
      apiKey: em.apiKey,
      secret: em.secret,
      url: em.restUrl,
    });
    await other.loadMarkets();
    await other.placeStop({
      symbol: 'BTCUSDT',
      positionSide: 'long',
      quantity: '0.01',
      stopPrice: '58000',
      clientId: 'rt-stray-1',
      workingType: 'CONTRACT_PRICE',
    });
    await other.close();
    const rig = await live.engine(em, { config: { symbols: ['BTCUSDT'] } });
    await rig.until(
      () => allSettled(rig) && openStops(em, 'BTCUSDT').length === 1,
      'one stop at the desired price',
    );
    expect(openStops(em, 'BTCUSDT').map((s) => s.stopPrice)).toEqual(['58800']);
  });
});
