import { describe, expect, it } from 'vitest';
import { accountStreamCases, isReconnected, stopWith } from './accountStreamCases.ts';
import { emulator } from './emulatorHarness.ts';
import { bybitVenueOn, watch } from './bybitHarness.ts';

describe('the Bybit account stream', () => {
  accountStreamCases({
    venueOn: bybitVenueOn,
    refused: { secret: 'a-secret-the-exchange-does-not-know' },
    opened: async (venue, opened) => {
      if (opened.type !== 'position' || 'closed' in opened.position) throw new Error('not open');
      // REST and the stream name the same opening time: the engine's position id stays stable.
      expect((await venue.fetchPositions())[0]?.openedAt).toBe(opened.position.openedAt);
    },
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
});
