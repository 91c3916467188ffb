import ccxt, { type Order } from 'ccxt';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { AlgoOrderRequest } from '../../src/venues/emulator/requests.ts';
import { BTC, setup } from './emulatorHarness.ts';

const ETH = 'ETH/USDT:USDT';
const d = (s: string): Decimal => new Decimal(s);

function sellStop(symbol: string, trigger: string): AlgoOrderRequest {
  return {
    symbol,
    side: 'SELL',
    orderType: 'STOP_MARKET',
    quantity: d('0.01'),
    triggerPrice: d(trigger),
    callbackRate: undefined,
    activatePrice: undefined,
    workingType: 'CONTRACT_PRICE',
    reduceOnly: true,
    closePosition: false,
    priceProtect: false,
    clientAlgoId: undefined,
  };
}

describe('the account-wide limit of open conditional orders', () => {
  it('answers -4045 for the 201st open stop across all symbols, and accepts one again after a cancel', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'long', '0.010');
    for (let i = 0; i < 100; i++) {
      em.exchange.placeAlgo(sellStop('BTCUSDT', String(50000 + i)));
      em.exchange.placeAlgo(sellStop('ETHUSDT', String(2000 + i)));
    }
    const place = (): Promise<unknown> =>
      ex.createOrder(ETH, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 1900,
        reduceOnly: true,
      });
    const err = await place().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.OperationRejected);
    expect(String(err)).toMatch(/-4045/);
    expect(em.exchange.openAlgos()).toHaveLength(200);
    const [oldest] = em.exchange.openAlgos('BTCUSDT');
    await ex.cancelOrder(String(oldest!.algoId), BTC, { trigger: true });
    await expect(place()).resolves.toMatchObject({ status: 'open' });
  });

  it('takes its limit from maxOpenAlgoOrders', async () => {
    const { em, ex } = await setup({ maxOpenAlgoOrders: 2 });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const place = (stopLossPrice: number): Promise<unknown> =>
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice, reduceOnly: true });
    await place(59000);
    await place(58000);
    await expect(place(57000)).rejects.toThrow(/-4045/);
  });
});

/** Rests a closePosition stop (ccxt drops the quantity for it). */
function closeAllStop(
  ex: Awaited<ReturnType<typeof setup>>['ex'],
  side: 'buy' | 'sell',
  params: Record<string, unknown>,
): Promise<Order> {
  return ex.createOrder(BTC, 'market', side, undefined as unknown as number, undefined, {
    closePosition: true,
    ...params,
  });
}

describe('closePosition stops', () => {
  it('are one per side and type: a second answers -4130; without a position -4509; with reduceOnly -1106', async () => {
    const { em, ex } = await setup();
    await expect(closeAllStop(ex, 'sell', { stopLossPrice: 59000 })).rejects.toThrow(/-4509/);
    em.openPosition('BTCUSDT', 'long', '0.010');
    const first = await closeAllStop(ex, 'sell', { stopLossPrice: 59000 });
    expect(first).toMatchObject({ status: 'open' });
    const second = await closeAllStop(ex, 'sell', { stopLossPrice: 59500 }).catch(
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(ccxt.ExchangeError);
    expect(String(second)).toMatch(/-4130/);
    // A take-profit is the other type; a quantity stop is not a closePosition one.
    await expect(closeAllStop(ex, 'sell', { takeProfitPrice: 61000 })).resolves.toMatchObject({
      status: 'open',
    });
    await expect(
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 59500,
        reduceOnly: true,
      }),
    ).resolves.toMatchObject({ status: 'open' });
    await expect(
      closeAllStop(ex, 'buy', { stopLossPrice: 61000, reduceOnly: true }),
    ).rejects.toThrow(/-1106/);
    expect(em.exchange.openAlgos().map((a) => a.closePosition)).toEqual([true, true, false]);
  });

  it('are expired by the exchange when the position closes, while quantity stops keep resting', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const closing = await closeAllStop(ex, 'sell', { stopLossPrice: 59000 });
    const quantity = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 58000,
      reduceOnly: true,
    });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect((await ex.fetchOrder(closing.id!, BTC, { trigger: true })).status).toBe('expired');
    const open = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(open.map((o) => o.id)).toEqual([quantity.id]);
    // After a flip too: the long's closePosition stop goes with the long.
    em.openPosition('BTCUSDT', 'long', '0.010');
    const again = await closeAllStop(ex, 'sell', { stopLossPrice: 59000 });
    em.openPosition('BTCUSDT', 'short', '0.020');
    expect((await ex.fetchOrder(again.id!, BTC, { trigger: true })).status).toBe('expired');
  });
});

describe('reduce-only quantity stops after their position closed', () => {
  it('keep resting; when they trigger they expire and never open or grow a position', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const stop = (stopLossPrice: number): Promise<Order> =>
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice, reduceOnly: true });
    const a = await stop(59000);
    const b = await stop(58000);
    // The position is closed elsewhere: both stops stay, as on Binance.
    em.closePosition('BTCUSDT');
    const resting = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(resting.map((o) => o.id)).toEqual([a.id, b.id]);
    // A short opened meanwhile: a SELL stop firing now must not grow it.
    em.openPosition('BTCUSDT', 'short', '0.005');
    em.setPrice('BTCUSDT', '58990.0');
    expect((await ex.fetchOrder(a.id!, BTC, { trigger: true })).status).toBe('expired');
    expect(em.exchange.position('BTCUSDT').amount.toString()).toBe('-0.005');
    // Flat: firing opens nothing.
    em.closePosition('BTCUSDT');
    em.setPrice('BTCUSDT', '57990.0');
    expect((await ex.fetchOrder(b.id!, BTC, { trigger: true })).status).toBe('expired');
    expect(await ex.fetchPositions([BTC])).toHaveLength(0);
    expect(em.state().finishedOrders.map((o) => [o['algoId'], o['algoStatus']])).toEqual([
      [Number(a.id), 'EXPIRED'],
      [Number(b.id), 'EXPIRED'],
    ]);
    expect(em.state().fills.map((f) => f.side)).toEqual(['BUY', 'SELL', 'SELL', 'BUY']);
  });
});

describe('client ids', () => {
  it('are unique among open stops (-4116), reusable once finished, and at most 36 characters (-1100)', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const place = (clientOrderId: string): Promise<Order> =>
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 59000,
        reduceOnly: true,
        clientOrderId,
      });
    const first = await place('rt-1');
    await expect(place('rt-1')).rejects.toThrow(/-4116/);
    await ex.cancelOrder(first.id!, BTC, { trigger: true });
    const reused = await place('rt-1');
    const found = await ex.fetchOrder('', BTC, { trigger: true, clientOrderId: 'rt-1' });
    expect([found.id, found.status]).toEqual([reused.id, 'open']);
    await expect(place('x'.repeat(37))).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(place('has space')).rejects.toThrow(/-1100/);
    await expect(
      ex.createOrder(BTC, 'market', 'sell', 0.001, undefined, {
        reduceOnly: true,
        clientOrderId: 'é',
      }),
    ).rejects.toThrow(/-1100/);
  });
});
