import { describe, expect, it } from 'vitest';
import type { AccountEvent, VenueStopOrder } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { bybitVenueOn, watch } from './bybitHarness.ts';

const isReconnected = (e: AccountEvent): boolean => e.type === 'reconnected';
const stopWith =
  (clientId: string, status: VenueStopOrder['status']) =>
  (e: AccountEvent): boolean =>
    e.type === 'stop' && e.order.clientId === clientId && e.order.status === status;

describe('the Bybit account stream', () => {
  it('reports the open stream, then position changes, long and short, and a close', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await bybitVenueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.setPrice('BTCUSDT', '60000.1');
    em.openPosition('BTCUSDT', 'long', '0.010');
    const opened = await account.next(
      (e) => e.type === 'position' && e.position.symbol === 'BTCUSDT',
    );
    expect(opened).toMatchObject({
      position: { symbol: 'BTCUSDT', side: 'long', quantity: '0.01', entryPrice: '60000.1' },
    });
    if (opened.type !== 'position' || 'closed' in opened.position) throw new Error('not open');
    // REST and the stream name the same opening time: the engine's position id stays stable.
    expect((await venue.fetchPositions())[0]?.openedAt).toBe(opened.position.openedAt);
    em.openPosition('ETHUSDT', 'short', '0.5');
    const short = await account.next(
      (e) => e.type === 'position' && e.position.symbol === 'ETHUSDT',
    );
    expect(short).toMatchObject({ position: { side: 'short', quantity: '0.5' } });
    await venue.closeMarket({
      symbol: 'BTCUSDT',
      positionSide: 'long',
      quantity: '0.01',
      clientId: 'rt-exit-stream',
    });
    const closed = await account.next(
      (e) => e.type === 'position' && 'closed' in e.position && e.position.symbol === 'BTCUSDT',
    );
    expect(closed).toMatchObject({ position: { symbol: 'BTCUSDT', closed: true } });
    expect(account.errors).toEqual([]);
  });

  it('reports the position stop set, moved and firing, under the client id of its last move', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await bybitVenueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const request = {
      symbol: 'BTCUSDT',
      positionSide: 'long' as const,
      quantity: '0.01',
      stopPrice: '59000',
      clientId: 'rt-stream-s1',
      workingType: 'CONTRACT_PRICE' as const,
    };
    await venue.placeStop(request);
    await account.next(
      (e) =>
        stopWith('rt-stream-s1', 'open')(e) && e.type === 'stop' && e.order.stopPrice === '59000',
    );
    await venue.amendStop('BTCUSDT:sl', { ...request, stopPrice: '59500' });
    const moved = await account.next(
      (e) => e.type === 'stop' && e.order.stopPrice === '59500' && e.order.status === 'open',
    );
    expect(moved).toMatchObject({ order: { id: 'BTCUSDT:sl', clientId: 'rt-stream-s1' } });
    em.setPrice('BTCUSDT', '59400');
    const fired = await account.next(stopWith('rt-stream-s1', 'triggered'));
    expect(fired).toMatchObject({ order: { id: 'BTCUSDT:sl', positionSide: 'long' } });
    await account.next((e) => e.type === 'position' && 'closed' in e.position);
    expect(em.state().fills.at(-1)).toMatchObject({ side: 'SELL', price: '59400' });
  });

  it('reports a stop cleared elsewhere as cancelled', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await bybitVenueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.openPosition('BTCUSDT', 'short', '0.010');
    await venue.placeStop({
      symbol: 'BTCUSDT',
      positionSide: 'short',
      quantity: '0.01',
      stopPrice: '61000',
      clientId: 'rt-stream-s2',
      workingType: 'MARK_PRICE',
    });
    em.exchange.clearPositionStop('BTCUSDT');
    const cleared = await account.next(stopWith('rt-stream-s2', 'cancelled'));
    expect(cleared).toMatchObject({ order: { id: 'BTCUSDT:sl', positionSide: 'short' } });
  });

  it('reports reconnected after the socket drops, and delivers changes again', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await bybitVenueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    const mark = account.events.length;
    em.injectFaults({ wsDisconnect: true });
    await account.next(isReconnected, mark);
    em.openPosition('BTCUSDT', 'short', '0.003');
    const after = await account.next((e) => e.type === 'position', mark);
    expect(after).toMatchObject({ position: { side: 'short', quantity: '0.003' } });
    expect(account.events.filter(isReconnected)).toHaveLength(2);
    expect(account.errors).toEqual([]);
  });

  it('ends the stream with auth when the key is refused', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await bybitVenueOn(em, { secret: 'a-secret-the-exchange-does-not-know' });
    const errors = await new Promise<string[]>((resolve) => {
      venue.watchAccount(
        () => undefined,
        (error) => resolve([error.kind, error.message]),
      );
    });
    expect(errors[0]).toBe('auth');
    expect(errors[1]).not.toContain('a-secret-the-exchange-does-not-know');
  });
});
