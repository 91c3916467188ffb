import { describe, expect, it } from 'vitest';
import { accountStreamCases, isReconnected, stopWith } from './accountStreamCases.ts';
import { emulator } from './emulatorHarness.ts';
import { venueOn, watch } from './binanceHarness.ts';

describe('the Binance account stream', () => {
  accountStreamCases({ venueOn, refused: { apiKey: 'a-key-the-exchange-does-not-know' } });

  it('reports a stop resting, then firing, with its client id and times', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const placed = await venue.placeStop({
      symbol: 'BTCUSDT',
      positionSide: 'long',
      quantity: '0.01',
      stopPrice: '59000',
      clientId: 'rt-stream-1',
      workingType: 'CONTRACT_PRICE',
    });
    const resting = await account.next(stopWith('rt-stream-1', 'open'));
    expect(resting).toMatchObject({
      order: {
        id: placed.id,
        stopPrice: '59000',
        quantity: '0.01',
        reduceOnly: true,
        positionSide: 'long',
      },
    });
    em.setPrice('BTCUSDT', '58900');
    const fired = await account.next(stopWith('rt-stream-1', 'triggered'));
    expect(fired.ts).toBeGreaterThanOrEqual(resting.ts);
    if (fired.type !== 'stop') throw new Error('not a stop event');
    expect(fired.order.updatedAt).toBe(fired.ts);
    await account.next((e) => e.type === 'position' && 'closed' in e.position);
  });
});
