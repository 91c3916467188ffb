import type { Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { BTC, admin, setup } from './emulatorHarness.ts';

describe('unprotected time per position', () => {
  it('counts from the opening, and separately from the first resting stop on', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    const opened = clock.now();
    em.openPosition('BTCUSDT', 'short', '0.010');
    clock.advance(300); // naked from the opening: the engine has not placed its stop yet
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 300,
      isProtected: false,
      firstProtectedAt: null,
      unprotectedMsSinceFirstProtected: 0,
    });
    const stopAt = (stopLossPrice: number): Promise<Order> =>
      ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { stopLossPrice, reduceOnly: true });
    let resting = await stopAt(61000);
    const firstProtected = clock.now();
    // A BUY take-profit and a SELL stop do not protect a short.
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, {
      takeProfitPrice: 59000,
      reduceOnly: true,
    });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 59500 });
    // Make-before-break moves: no naked time.
    for (let price = 60900; price > 60500; price -= 100) {
      clock.advance(1000);
      const next = await stopAt(price);
      await ex.cancelOrder(resting.id!, BTC, { trigger: true });
      resting = next;
    }
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 300,
      isProtected: true,
      firstProtectedAt: firstProtected,
      unprotectedMsSinceFirstProtected: 0,
    });
    // Cancel-then-create: the gap counts, in both figures.
    await ex.cancelOrder(resting.id!, BTC, { trigger: true });
    clock.advance(40);
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 340,
      isProtected: false,
      unprotectedMsSinceFirstProtected: 40,
    });
    await stopAt(60400);
    clock.advance(500);
    em.closePosition('BTCUSDT');
    const closed = (await admin(em, 'GET', '/admin/state')).body.protection;
    expect(closed).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'short',
        openedAt: opened,
        closedAt: clock.now(),
        isProtected: true,
        unprotectedMs: 340,
        firstProtectedAt: firstProtected,
        unprotectedMsSinceFirstProtected: 40,
        firstOwnStopAt: firstProtected,
        unprotectedMsSinceOwnStop: 40,
      },
    ]);
  });

  it('counts a stop resting before the opening as protection from the first instant', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.closePosition('BTCUSDT');
    // Left resting after the close (reduce-only): it protects the next long at once.
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    clock.advance(100);
    const opened = em.openPosition('BTCUSDT', 'long', '0.010');
    clock.advance(100);
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 0,
      isProtected: true,
      firstProtectedAt: opened.openedAt,
      firstOwnStopAt: opened.openedAt,
    });
  });

  it('starts the own-stop clock with a stop placed while open, not with a leftover whose cancel was already sent', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.closePosition('BTCUSDT');
    const sellStop = (stopLossPrice: number): Promise<Order> =>
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice, reduceOnly: true });
    const leftover = await sellStop(59000);
    clock.advance(100);
    // The leftover's cancel is sent while the symbol is flat and held on the way.
    em.injectFaults({ latencyMs: { 'DELETE /fapi/v1/algoOrder': 300 } });
    const cancels = em.counter.servedOn('DELETE /fapi/v1/algoOrder');
    const cancelling = ex.cancelOrder(leftover.id!, BTC, { trigger: true });
    await em.counter.whenServed('DELETE /fapi/v1/algoOrder', cancels + 1);
    em.openPosition('BTCUSDT', 'long', '0.010');
    clock.advance(100);
    await cancelling;
    clock.advance(250);
    // Borrowed cover lost before the position's own first stop: opening time, not naked time.
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 250,
      unprotectedMsSinceFirstProtected: 250,
      firstOwnStopAt: null,
      unprotectedMsSinceOwnStop: 0,
    });
    em.injectFaults({ latencyMs: {} });
    const own = await sellStop(59500);
    const ownAt = clock.now();
    clock.advance(100);
    await ex.cancelOrder(own.id!, BTC, { trigger: true });
    clock.advance(30);
    expect(em.state().positions[0]).toMatchObject({
      unprotectedMs: 280,
      unprotectedMsSinceFirstProtected: 280,
      firstOwnStopAt: ownAt,
      unprotectedMsSinceOwnStop: 30,
    });
  });

  it('holds a leftover resting at the opening, cancel not yet sent, to be the position’s own', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.closePosition('BTCUSDT');
    const leftover = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    clock.advance(100);
    const opened = em.openPosition('BTCUSDT', 'long', '0.010');
    clock.advance(100);
    // Cancelled under the open position before any other stop: naked time, counted.
    await ex.cancelOrder(leftover.id!, BTC, { trigger: true });
    clock.advance(40);
    expect(em.state().positions[0]).toMatchObject({
      firstOwnStopAt: opened.openedAt,
      unprotectedMsSinceOwnStop: 40,
    });
  });
});
