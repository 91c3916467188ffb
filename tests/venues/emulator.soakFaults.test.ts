import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { BTC, admin, client, emulator, socketMessages } from './emulatorHarness.ts';

/** The symbol of each trade payload a raw stream client receives, in order. */
const nextTrades = (url: string) => socketMessages(url, (m) => (m as { s: string }).s);

describe('soak faults: clock skew and frozen streams', () => {
  it('skews the clock clients see: -1021 until the client resyncs, true time for matching', async () => {
    const clock = new ManualClock(Date.now());
    const em = await emulator({ clock });
    const ex = await client(em);
    await ex.loadMarkets();
    em.injectFaults({ clockSkewMs: -1500 });
    // Requests are signed with the wall clock, now 1.5 s ahead of the exchange's: refused.
    await expect(ex.fetchPositions([BTC])).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    expect(await ex.fetchTime()).toBe(clock.now() - 1500);
    // A client that measured the offset signs behind the exchange's clock and is accepted.
    ex.options['timeDifference'] = Date.now() - (clock.now() - 1500);
    await expect(ex.fetchPositions([BTC])).resolves.toBeDefined();
    // The matching core keeps the true clock: a position opened now is stamped with it.
    em.openPosition('BTCUSDT', 'long', '0.010');
    expect(em.state().positions[0]?.openedAt).toBe(clock.now());
    expect(em.state().faults['clockSkewMs']).toBe(-1500);
    em.injectFaults({ clear: true });
    expect(await ex.fetchTime()).toBe(clock.now());
    // Requests are counted per route too, so a soak can tell order calls from reads.
    const times = em.counter.servedOn('GET /fapi/v1/time');
    expect(times).toBeGreaterThanOrEqual(2);
    await ex.fetchTime();
    expect(em.counter.servedOn('GET /fapi/v1/time')).toBe(times + 1);
    expect(em.counter.servedOn('POST /fapi/v1/algoOrder')).toBe(0);
  });

  it('holds back a frozen symbol’s market payloads until it thaws, leaving the others', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const trades = nextTrades(`${em.wsUrl}/btcusdt@aggTrade/ethusdt@aggTrade`);
    await trades.opened;
    await em.streams.whenSubscribed('ethusdt@aggTrade');
    em.injectFaults({ frozenStreams: ['btcusdt'] });
    em.setPrice('BTCUSDT', '60100');
    em.setPrice('ETHUSDT', '3010');
    // BTC's trade was never sent: the first payload to arrive is ETH's.
    expect(await trades.next()).toBe('ETHUSDT');
    const view = await admin(em, 'GET', '/admin/state');
    expect(view.body.faults?.frozenStreams).toEqual(['BTCUSDT']);
    // The exchange kept trading: REST has BTC's new price.
    expect(em.state().prices['BTCUSDT']?.last).toBe('60100');
    em.injectFaults({ frozenStreams: [] });
    em.setPrice('BTCUSDT', '60200');
    expect(await trades.next()).toBe('BTCUSDT');
    em.injectFaults({ frozenStreams: '*' });
    em.setPrice('BTCUSDT', '60300');
    em.setPrice('ETHUSDT', '3020');
    em.injectFaults({ clear: true });
    em.setPrice('ETHUSDT', '3030');
    expect(await trades.next()).toBe('ETHUSDT');
    trades.close();
  });
});
