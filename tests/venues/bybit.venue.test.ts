import { describe, expect, it } from 'vitest';
import { createVenue } from '../../src/venues/createVenue.ts';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import type { PlaceStopRequest } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { bybitVenueOn } from './bybitHarness.ts';

const stop = (over: Partial<PlaceStopRequest> = {}): PlaceStopRequest => ({
  symbol: 'BTCUSDT',
  positionSide: 'long',
  quantity: '0.010',
  stopPrice: '59000',
  clientId: 'rt-abcdefg-s1',
  workingType: 'CONTRACT_PRICE',
  ...over,
});

describe('the Bybit venue over the emulator (real ccxt bybit)', () => {
  it('is chosen by venue.exchange, declares the atomic amend and maps symbols after loading', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await createVenue(
      { exchange: 'bybit', url: em.restUrl, sandbox: false, apiKey: em.apiKey, secret: em.secret },
      { clientIdPrefix: 'rt' },
    );
    try {
      expect([venue.id, venue.capabilities.atomicStopAmend]).toEqual(['bybit', true]);
      expect(() => venue.unifiedSymbol('BTCUSDT')).toThrow(/not loaded yet/);
      const markets = await venue.loadMarkets();
      expect([...markets.values()]).toEqual([
        { symbol: 'BTCUSDT', unifiedSymbol: 'BTC/USDT:USDT', tickSize: '0.10', stepSize: '0.001' },
        { symbol: 'ETHUSDT', unifiedSymbol: 'ETH/USDT:USDT', tickSize: '0.01', stepSize: '0.001' },
      ]);
      expect(venue.unifiedSymbol('ETHUSDT')).toBe('ETH/USDT:USDT');
      expect(Math.abs((await venue.fetchTime()) - Date.now())).toBeLessThan(60_000);
    } finally {
      await venue.close();
    }
  });

  it('reads positions long and short as exact strings, with their stops', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    em.setPrice('BTCUSDT', '60000.3');
    em.openPosition('BTCUSDT', 'long', '0.013');
    em.openPosition('ETHUSDT', 'short', '0.700');
    const venue = await bybitVenueOn(em);
    const opened = em.state().positions.map((p) => p.openedAt);
    expect(await venue.fetchPositions()).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'long',
        quantity: '0.013',
        entryPrice: '60000.3',
        openedAt: opened[0],
        markPrice: '60000.3',
      },
      {
        symbol: 'ETHUSDT',
        side: 'short',
        quantity: '0.7',
        entryPrice: '3000',
        openedAt: opened[1],
        markPrice: '3000.00',
      },
    ]);
    await venue.placeStop(
      stop({ symbol: 'ETHUSDT', positionSide: 'short', stopPrice: '3060', quantity: '0.7' }),
    );
    expect(await venue.fetchOpenStops()).toEqual([
      expect.objectContaining({
        id: 'ETHUSDT:sl',
        clientId: 'rt-abcdefg-s1',
        symbol: 'ETHUSDT',
        positionSide: 'short',
        stopPrice: '3060',
        quantity: '0.7',
        reduceOnly: true,
        status: 'open',
      }),
    ]);
    expect((await venue.fetchOpenStops(['ETHUSDT'])).map((s) => s.id)).toEqual(['ETHUSDT:sl']);
    expect(await venue.fetchOpenStops(['BTCUSDT'])).toEqual([]);
    expect(await venue.fetchEquity()).toBe('10000');
  });

  it('places and moves the position stop in one request each, on the tick, never loosening it', async () => {
    const clock = new ManualClock();
    const em = await emulator({ symbols: ['BTCUSDT'], clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const venue = await bybitVenueOn(em);
    // The emulator's clock stands still between advances: fetchTime aligns ccxt's timestamps.
    clock.advance(40);
    await venue.fetchTime();
    let before = em.counter.served();
    // 59000.04 rounds up for a long's stop: toward the market, never looser.
    const placed = await venue.placeStop(stop({ stopPrice: '59000.04' }));
    expect(em.counter.served() - before).toBe(1);
    expect(placed).toMatchObject({ id: 'BTCUSDT:sl', stopPrice: '59000.1', status: 'open' });
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      await venue.fetchTime();
      before = em.counter.served();
      const moved = await venue.amendStop(placed.id, stop({ stopPrice: `${59000 + i * 100}` }));
      expect(em.counter.served() - before).toBe(1);
      expect(moved).toMatchObject({ id: 'BTCUSDT:sl', stopPrice: `${59000 + i * 100}.0` });
    }
    // The same price again is "not modified" on Bybit: still a success.
    await venue.amendStop(placed.id, stop({ stopPrice: '59500' }));
    const position = em.state().positions[0];
    expect(position?.positionStop?.stopPrice).toBe('59500');
    expect(position).toMatchObject({ unprotectedMs: 40, unprotectedMsSinceFirstProtected: 0 });
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-abcdefg-s1')).toMatchObject({
      id: 'BTCUSDT:sl',
      stopPrice: '59500',
      status: 'open',
    });
  });

  it('watches the mark price when asked, and the stop it set fires and closes the position', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    em.openPosition('BTCUSDT', 'short', '0.010');
    const venue = await bybitVenueOn(em);
    await venue.placeStop(
      stop({ positionSide: 'short', stopPrice: '61000', workingType: 'MARK_PRICE' }),
    );
    expect(em.state().positions[0]?.positionStop?.workingType).toBe('MARK_PRICE');
    em.setPrice('BTCUSDT', '61500.0', '60900.0');
    expect(await venue.fetchPositions()).toHaveLength(1);
    em.setPrice('BTCUSDT', '61500.0', '61000.0');
    expect(await venue.fetchPositions()).toEqual([]);
    expect(await venue.fetchOpenStops()).toEqual([]);
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-abcdefg-s1')).toBeUndefined();
  });

  it('cancels the stop (stopLoss 0); a second cancel, or one on a flat position, is notFound', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const venue = await bybitVenueOn(em);
    const placed = await venue.placeStop(stop());
    await venue.cancelStop('BTCUSDT', placed.id);
    expect(em.state().positions[0]?.positionStop).toBeNull();
    expect(await venue.fetchOpenStops()).toEqual([]);
    await expect(venue.cancelStop('BTCUSDT', placed.id)).rejects.toMatchObject({
      kind: 'notFound',
    });
    await expect(venue.cancelStop('BTCUSDT', 'ETHUSDT:sl')).rejects.toMatchObject({
      kind: 'notFound',
    });
    em.closePosition('BTCUSDT');
    await expect(venue.cancelStop('BTCUSDT', placed.id)).rejects.toMatchObject({
      kind: 'notFound',
    });
  });

  it('closes at market reduce-only and finds the order by its client id', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    em.openPosition('BTCUSDT', 'short', '0.010');
    em.setPrice('BTCUSDT', '60100.5');
    const venue = await bybitVenueOn(em);
    const before = em.counter.served();
    const result = await venue.closeMarket({
      symbol: 'BTCUSDT',
      positionSide: 'short',
      quantity: '0.01',
      clientId: 'rt-abcdefg-x1',
    });
    // The create answers only the id: the fill is read back.
    expect(em.counter.served() - before).toBe(2);
    expect(result).toMatchObject({
      clientId: 'rt-abcdefg-x1',
      status: 'filled',
      filledQuantity: '0.01',
      averagePrice: '60100.5',
    });
    expect(em.state().positions).toEqual([]);
    expect(await venue.fetchMarketOrderByClientId('BTCUSDT', 'rt-abcdefg-x1')).toEqual(result);
    expect(await venue.fetchMarketOrderByClientId('BTCUSDT', 'rt-unknown-x9')).toBeUndefined();
  });

  it('streams trades, the ticker and the mark price (from the ticker) to the price streams', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await bybitVenueOn(em);
    const BTC = venue.unifiedSymbol('BTCUSDT');
    const trades = venue.prices.watchTrades(BTC);
    await em.bybitStreams.whenSubscribed('publicTrade.BTCUSDT');
    em.setPrice('BTCUSDT', '60010.0');
    expect((await trades).at(-1)).toMatchObject({ symbol: BTC, price: 60010 });
    const mark = venue.prices.watchMarkPrice?.(BTC);
    await em.bybitStreams.whenSubscribed('tickers.BTCUSDT');
    em.setPrice('BTCUSDT', '60020.0', '60015.5');
    expect(await mark).toMatchObject({ symbol: BTC, last: 60020, markPrice: 60015.5 });
    expect(await venue.prices.fetchTicker(BTC)).toMatchObject({ last: 60020, markPrice: 60015.5 });
  });

  it('reads positions and stops in one request when the engine asks for both at once', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const venue = await bybitVenueOn(em);
    await venue.placeStop(stop());
    const before = em.counter.served();
    const [positions, stops] = await Promise.all([venue.fetchPositions(), venue.fetchOpenStops()]);
    expect(em.counter.served() - before).toBe(1);
    expect([positions.length, stops.length]).toEqual([1, 1]);
  });
});
