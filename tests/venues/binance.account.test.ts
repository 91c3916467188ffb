import { describe, expect, it } from 'vitest';
import type { AccountEvent, VenueStopOrder } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { venueOn, watch } from './binanceHarness.ts';

const isReconnected = (e: AccountEvent): boolean => e.type === 'reconnected';
const stopWith =
  (clientId: string, status: VenueStopOrder['status']) =>
  (e: AccountEvent): boolean =>
    e.type === 'stop' && e.order.clientId === clientId && e.order.status === status;

describe('the Binance account stream', () => {
  it('reports the open stream, then position changes, long and short', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.setPrice('BTCUSDT', '60000.1');
    em.openPosition('BTCUSDT', 'long', '0.010');
    const opened = await account.next(
      (e) => e.type === 'position' && e.position.symbol === 'BTCUSDT',
    );
    expect(opened).toMatchObject({
      type: 'position',
      position: { symbol: 'BTCUSDT', side: 'long', quantity: '0.01', entryPrice: '60000.1' },
    });
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

  it('reports reconnected after the socket drops, and delivers changes again', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
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

  it('stops delivering after unsubscribe', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    const gone = watch(venue);
    const kept = watch(venue);
    await gone.next(isReconnected);
    await kept.next(isReconnected);
    gone.unsubscribe();
    const seen = gone.events.length;
    em.openPosition('BTCUSDT', 'long', '0.001');
    await kept.next((e) => e.type === 'position');
    expect(gone.events).toHaveLength(seen);
  });

  it('ends the stream with auth when the key is refused', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em, { apiKey: 'a-key-the-exchange-does-not-know' });
    const errors = await new Promise<string[]>((resolve) => {
      venue.watchAccount(
        () => undefined,
        (error) => resolve([error.kind, error.message]),
      );
    });
    expect(errors[0]).toBe('auth');
    expect(errors[1]).not.toContain('a-key-the-exchange-does-not-know');
  });
});
