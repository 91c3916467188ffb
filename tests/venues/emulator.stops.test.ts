import ccxt from 'ccxt';
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
