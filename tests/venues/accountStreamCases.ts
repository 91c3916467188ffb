import { expect, it } from 'vitest';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import type { AccountEvent, Venue, VenueStopOrder } from '../../src/venues/port.ts';
import { emulator } from './emulatorHarness.ts';
import { watch } from './binanceHarness.ts';

/** Accepts the `reconnected` event. */
export const isReconnected = (e: AccountEvent): boolean => e.type === 'reconnected';

/** Returns a matcher of the stop event for `clientId` in `status`. */
export const stopWith =
  (clientId: string, status: VenueStopOrder['status']) =>
  (e: AccountEvent): boolean =>
    e.type === 'stop' && e.order.clientId === clientId && e.order.status === status;

/** How the cases reach one venue's adapter. */
export interface AccountStreamVenue {
  /** Returns the venue pointed at `em` with markets loaded, with credentials overridden. */
  readonly venueOn: (
    em: Emulator,
    overrides?: { apiKey?: string; secret?: string },
  ) => Promise<Venue>;
  /** A credential override the exchange refuses, and the text that must not leak. */
  readonly refused: { readonly apiKey: string } | { readonly secret: string };
  /** Checks more about the first opened position, when the venue promises more. */
  readonly opened?: (venue: Venue, opened: AccountEvent) => Promise<void>;
}

/** Defines, in the caller's describe, the account-stream tests every venue passes. */
export function accountStreamCases({ venueOn, refused, opened }: AccountStreamVenue): void {
  it('reports the open stream, then position changes, long and short, and a close', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const venue = await venueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.setPrice('BTCUSDT', '60000.1');
    em.openPosition('BTCUSDT', 'long', '0.010');
    const first = await account.next(
      (e) => e.type === 'position' && e.position.symbol === 'BTCUSDT',
    );
    expect(first).toMatchObject({
      type: 'position',
      position: { symbol: 'BTCUSDT', side: 'long', quantity: '0.01', entryPrice: '60000.1' },
    });
    await opened?.(venue, first);
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

  it('misses no change: a close and a same-side reopen in the same instant are both reported', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const venue = await venueOn(em);
    const account = watch(venue);
    await account.next(isReconnected);
    em.setPrice('BTCUSDT', '60000.1');
    em.openPosition('BTCUSDT', 'long', '0.010');
    await account.next((e) => e.type === 'position' && !('closed' in e.position));
    const mark = account.events.length;
    // Three messages before the adapter can call again: only the first would meet a waiting call.
    em.closePosition('BTCUSDT');
    em.setPrice('BTCUSDT', '60100.1');
    em.openPosition('BTCUSDT', 'long', '0.020');
    const reopened = await account.next(
      (e) => e.type === 'position' && !('closed' in e.position) && e.position.quantity === '0.02',
      mark,
    );
    expect(reopened).toMatchObject({ position: { side: 'long', entryPrice: '60100.1' } });
    const seen = account.events
      .slice(mark)
      .flatMap((e) =>
        e.type !== 'position' ? [] : ['closed' in e.position ? 'closed' : e.position.quantity],
      );
    expect(seen).toEqual(['closed', '0.02']);
    expect(account.errors).toEqual([]);
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
    const venue = await venueOn(em, refused);
    const errors = await new Promise<string[]>((resolve) => {
      venue.watchAccount(
        () => undefined,
        (error) => resolve([error.kind, error.message]),
      );
    });
    expect(errors[0]).toBe('auth');
    const credential = 'apiKey' in refused ? refused.apiKey : refused.secret;
    expect(errors[1]).not.toContain(credential);
  });
}
