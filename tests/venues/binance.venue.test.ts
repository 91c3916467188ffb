import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import type { PlaceStopRequest, Venue } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { rejection, venueOn } from './binanceHarness.ts';

const longStop = (over: Partial<PlaceStopRequest> = {}): PlaceStopRequest => ({
  symbol: 'BTCUSDT',
  positionSide: 'long',
  quantity: '0.010',
  stopPrice: '59000.0',
  clientId: 'rt-test-1',
  workingType: 'MARK_PRICE',
  ...over,
});

/** Opens a BTC long and an ETH short and rests a stop on each (rt-test-1, rt-eth-1). */
async function stopsOnBtcAndEth(em: Emulator, venue: Venue): Promise<void> {
  em.openPosition('BTCUSDT', 'long', '0.010');
  em.openPosition('ETHUSDT', 'short', '0.5');
  await venue.placeStop(longStop());
  await venue.placeStop({
    symbol: 'ETHUSDT',
    positionSide: 'short',
    quantity: '0.5',
    stopPrice: '3100',
    clientId: 'rt-eth-1',
    workingType: 'CONTRACT_PRICE',
  });
}

describe('the Binance venue against the emulator', () => {
  it('lists markets with the raw tick and step and maps ids to unified symbols', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    const markets = await venue.loadMarkets();
    expect(markets.get('BTCUSDT')).toMatchObject({
      symbol: 'BTCUSDT',
      tickSize: '0.10',
      stepSize: '0.001',
    });
    expect(venue.unifiedSymbol('ETHUSDT')).toBe('ETH/USDT:USDT');
    expect(() => venue.unifiedSymbol('DOGEUSDT')).toThrow(/DOGEUSDT.*not a listed/);
  });

  it('places a reduce-only stop with its client id, finds it, cancels it', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const placed = await venue.placeStop(longStop());
    expect(placed).toMatchObject({
      clientId: 'rt-test-1',
      symbol: 'BTCUSDT',
      positionSide: 'long',
      stopPrice: '59000',
      quantity: '0.01',
      reduceOnly: true,
      closePosition: false,
      status: 'open',
    });
    const resting = em.state().openOrders;
    expect(resting).toHaveLength(1);
    expect(resting[0]).toMatchObject({
      side: 'SELL',
      orderType: 'STOP_MARKET',
      reduceOnly: true,
      workingType: 'MARK_PRICE',
      clientAlgoId: 'rt-test-1',
    });

    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-test-1')).toEqual(placed);
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-never-placed')).toBeUndefined();

    await venue.cancelStop('BTCUSDT', placed.id);
    expect(await venue.fetchStopByClientId('BTCUSDT', 'rt-test-1')).toMatchObject({
      id: placed.id,
      status: 'cancelled',
    });
    expect(await venue.fetchOpenStops()).toEqual([]);
  });

  it('rounds the stop toward the market on the tick and the quantity up on the step', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('BTCUSDT', 'long', '0.002');
    // A long's stop rounds up (tighter), never down.
    const long = await venue.placeStop(longStop({ stopPrice: '59000.01', quantity: '0.0111' }));
    expect([long.stopPrice, long.quantity]).toEqual(['59000.1', '0.012']);
    const state = em.state().openOrders[0];
    expect([state?.['triggerPrice'], state?.['quantity']]).toEqual(['59000.1', '0.012']);
  });

  it('lists every open stop of the account with its side and status', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    await stopsOnBtcAndEth(em, venue);
    const stops = await venue.fetchOpenStops();
    expect(stops.map((s) => [s.symbol, s.clientId, s.positionSide, s.stopPrice, s.status])).toEqual(
      expect.arrayContaining([
        ['BTCUSDT', 'rt-test-1', 'long', '59000', 'open'],
        ['ETHUSDT', 'rt-eth-1', 'short', '3100', 'open'],
      ]),
    );
    expect(stops).toHaveLength(2);
  });

  it('maps long and short positions with exact strings and the venue time', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    expect(await venue.fetchPositions()).toEqual([]);
    em.setPrice('BTCUSDT', '60000.1');
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.setPrice('ETHUSDT', '3000.07');
    em.openPosition('ETHUSDT', 'short', '0.5');
    const positions = await venue.fetchPositions();
    const bySymbol = new Map(positions.map((p) => [p.symbol, p]));
    const rows = new Map(em.state().positions.map((p) => [p.symbol, p]));
    expect(bySymbol.get('BTCUSDT')).toMatchObject({
      side: 'long',
      quantity: '0.01',
      entryPrice: '60000.1',
      markPrice: '60000.1',
    });
    expect(bySymbol.get('ETHUSDT')).toMatchObject({
      side: 'short',
      quantity: '0.5',
      entryPrice: '3000.07',
    });
    expect(rows.get('ETHUSDT')?.amount).toBe('-0.5');
    for (const p of positions) expect(p.openedAt).toBeGreaterThan(0);
  });

  it('closes a position with a reduce-only market order and finds it by client id', async () => {
    const em = await emulator({ symbols: ['ETHUSDT'] });
    const venue = await venueOn(em);
    em.openPosition('ETHUSDT', 'short', '0.5');
    const result = await venue.closeMarket({
      symbol: 'ETHUSDT',
      positionSide: 'short',
      quantity: '0.5',
      clientId: 'rt-exit-1',
    });
    expect(result).toMatchObject({
      clientId: 'rt-exit-1',
      status: 'filled',
      filledQuantity: '0.5',
    });
    expect(em.state().positions).toEqual([]);
    expect(await venue.fetchMarketOrderByClientId('ETHUSDT', 'rt-exit-1')).toEqual(result);
    expect(await venue.fetchMarketOrderByClientId('ETHUSDT', 'rt-exit-none')).toBeUndefined();
    const again = await rejection(
      venue.closeMarket({
        symbol: 'ETHUSDT',
        positionSide: 'short',
        quantity: '0.5',
        clientId: 'rt-exit-2',
      }),
    );
    // Reduce-only: nothing left to reduce, and no new position opened.
    expect(again.kind).toBe('noPosition');
    expect(em.state().positions).toEqual([]);
  });

  it('reads the stops of named symbols one symbol at a time, skipping unlisted ones', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    await stopsOnBtcAndEth(em, venue);
    const READ = 'GET /fapi/v1/openAlgoOrders';
    const before = em.counter.servedOn(READ);
    const btc = await venue.fetchOpenStops(['BTCUSDT', 'NOTLISTED']);
    expect(btc.map((s) => [s.symbol, s.clientId])).toEqual([['BTCUSDT', 'rt-test-1']]);
    // One read of weight 1 for the listed symbol, none for the other.
    expect(em.counter.servedOn(READ) - before).toBe(1);
    const both = await venue.fetchOpenStops(['BTCUSDT', 'ETHUSDT']);
    expect(both.map((s) => s.clientId).sort()).toEqual(['rt-eth-1', 'rt-test-1']);
    expect(em.counter.servedOn(READ) - before).toBe(3);
    expect(await venue.fetchOpenStops([])).toEqual([]);
  });

  it('reads account-wide for 40 symbols or more, and still returns only the named ones', async () => {
    const many = ['BTCUSDT', ...Array.from({ length: 39 }, (_, i) => `COIN${i}USDT`)];
    const em = await emulator({ symbols: [...many, 'ETHUSDT'] });
    const venue = await venueOn(em);
    await stopsOnBtcAndEth(em, venue);
    const READ = 'GET /fapi/v1/openAlgoOrders';
    const before = em.counter.servedOn(READ);
    const stops = await venue.fetchOpenStops(many);
    expect(stops.map((s) => s.clientId)).toEqual(['rt-test-1']);
    expect(em.counter.servedOn(READ) - before).toBe(1);
  });

  it('places a stop without queueing behind account-wide reads', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const finished: string[] = [];
    // An account-wide read weighs 40 in ccxt's throttle: the next call of that client waits 2 s.
    const reads = [1, 2].map((n) => venue.fetchOpenStops().then(() => finished.push(`read ${n}`)));
    await venue.placeStop(longStop());
    finished.push('stop placed');
    await Promise.all(reads);
    expect(finished.indexOf('stop placed')).toBeLessThan(finished.indexOf('read 2'));
  });

  it('reads the venue clock', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    const before = em.state().time;
    const t = await venue.fetchTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(em.state().time);
  });

  it('refuses bad requests before sending them, in one paragraph', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    const bad = await rejection(venue.placeStop(longStop({ stopPrice: 'abc' })));
    expect([bad.kind, bad.message]).toEqual([
      'invalid',
      'The stop price for BTCUSDT must be a positive decimal number such as "0.01"; got "abc".',
    ]);
    expect((await rejection(venue.placeStop(longStop({ clientId: 'has space' })))).kind).toBe(
      'invalid',
    );
    expect((await rejection(venue.placeStop(longStop({ symbol: 'NOPEUSDT' })))).message).toMatch(
      /NOPEUSDT/,
    );
    expect(em.state().openOrders).toEqual([]);
  });
});
