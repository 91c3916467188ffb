import ccxt from 'ccxt';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { EmulatedExchange, ManualClock } from '../../src/venues/emulator/index.ts';
import { adminState } from '../../src/venues/emulator/adminState.ts';
import { symbolSpec } from '../../src/venues/emulator/markets.ts';
import type { AlgoOrderRequest } from '../../src/venues/emulator/requests.ts';
import { BTC, setup } from './emulatorHarness.ts';

const d = (s: string): Decimal => new Decimal(s);

function stop(symbol: string, trigger: string, clientAlgoId: string): AlgoOrderRequest {
  return {
    symbol,
    side: 'SELL',
    orderType: 'STOP_MARKET',
    quantity: d('0.001'),
    triggerPrice: d(trigger),
    callbackRate: undefined,
    activatePrice: undefined,
    workingType: 'CONTRACT_PRICE',
    reduceOnly: true,
    closePosition: false,
    priceProtect: false,
    clientAlgoId,
  };
}

describe('the emulator runs in bounded memory', () => {
  it('keeps open things and only the last N finished ones through 100k orders and trades', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const retention = { fills: 40, orders: 30, algoOrders: 20, protectionRecords: 10 };
    const ex = new EmulatedExchange([symbolSpec('BTCUSDT'), symbolSpec('ETHUSDT')], clock, {
      retention,
    });
    // Resting orders of another symbol that every BTC trade must leave alone.
    for (let i = 0; i < 5; i++) ex.placeAlgo({ ...stop('ETHUSDT', '2000.00', `eth${i}`) });
    let operations = 0;
    let peak = 0;
    for (let i = 0; operations < 100_000; i++) {
      clock.advance(10);
      ex.trade('BTCUSDT', d('60000'));
      ex.placeMarket({
        symbol: 'BTCUSDT',
        side: 'BUY',
        quantity: d('0.001'),
        reduceOnly: false,
        clientOrderId: `open${i}`,
      });
      const algo = ex.placeAlgo(stop('BTCUSDT', '59000.0', `stop${i}`));
      if (i % 2 === 0) {
        ex.trade('BTCUSDT', d('58990')); // the stop fires and closes the position
      } else {
        ex.cancelAlgo('BTCUSDT', algo.algoId, undefined);
        ex.placeMarket({
          symbol: 'BTCUSDT',
          side: 'SELL',
          quantity: d('0.001'),
          reduceOnly: true,
          clientOrderId: `close${i}`,
        });
      }
      operations += 5;
      const sizes = ex.retained();
      peak = Math.max(
        peak,
        sizes.finishedAlgoOrders + sizes.orders + sizes.fills + sizes.protectionRecords,
      );
    }
    expect(ex.retained()).toEqual({
      openAlgoOrders: 5,
      finishedAlgoOrders: 20,
      algoClientIds: 20,
      orders: 30,
      orderClientIds: 30,
      fills: 40,
      positions: 2, // one per listed symbol, flat or not
      protectionRecords: 10,
    });
    expect(peak).toBe(20 + 30 + 40 + 10);
    const state = adminState(ex, {}, { kind: 'none', ticks: 0, ended: true });
    expect([
      state.openOrders.length,
      state.finishedOrders.length,
      state.orders.length,
      state.fills.length,
      state.protection.length,
    ]).toEqual([5, 20, 30, 40, 10]);
    // The newest are kept; the oldest are forgotten and answer as unknown orders do.
    expect(ex.findAlgo(undefined, 'stop0')).toBeUndefined();
    expect(ex.findAlgo(4_000_000_006, undefined)).toBeUndefined();
    expect(ex.findOrder(undefined, 'open0')).toBeUndefined();
    const last = state.orders.at(-1);
    expect(ex.findOrder(undefined, String(last?.['clientOrderId']))).toBeDefined();
    expect(ex.openAlgos('ETHUSDT').map((a) => a.clientAlgoId)).toEqual([
      'eth0',
      'eth1',
      'eth2',
      'eth3',
      'eth4',
    ]);
  });

  it('answers a lookup of a forgotten stop or market order like an unknown one (-2013 → OrderNotFound)', async () => {
    const { em, ex } = await setup({ retention: { algoOrders: 2, orders: 1 } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const o = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 59000,
        reduceOnly: true,
        clientOrderId: `mine${i}`,
      });
      ids.push(o.id!);
      await ex.cancelOrder(o.id!, BTC, { trigger: true });
    }
    await expect(ex.fetchOrder(ids[0]!, BTC, { trigger: true })).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    );
    await expect(
      ex.fetchOrder('', BTC, { trigger: true, clientOrderId: 'mine0' }),
    ).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect((await ex.fetchOrder('', BTC, { trigger: true, clientOrderId: 'mine2' })).status).toBe(
      'canceled',
    );
    expect((await ex.fetchOrder(ids[1]!, BTC, { trigger: true })).status).toBe('canceled');
    const first = await ex.createOrder(BTC, 'market', 'sell', 0.001, undefined, {
      reduceOnly: true,
    });
    await ex.createOrder(BTC, 'market', 'sell', 0.001, undefined, { reduceOnly: true });
    await expect(ex.fetchOrder(first.id!, BTC)).rejects.toBeInstanceOf(ccxt.OrderNotFound);
  });
});
