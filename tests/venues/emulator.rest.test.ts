import { describe, expect, it } from 'vitest';
import { BTC, admin, client, emulator, setup } from './emulatorHarness.ts';

describe('emulator REST through real ccxt binanceusdm', () => {
  it('loads markets from exchangeInfo with tick and step precision and only calls /fapi', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] });
    const ex = await client(em);
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual([
      'BTC/USDT:USDT',
      'ETH/USDT:USDT',
      'SOL/USDT:USDT',
    ]);
    const btc = markets[BTC]!;
    expect(btc.swap).toBe(true);
    expect(btc.linear).toBe(true);
    expect(btc.precision).toMatchObject({ price: 0.1, amount: 0.001 });
    expect(btc.info).toMatchObject({
      orderTypes: expect.arrayContaining(['STOP_MARKET', 'TRAILING_STOP_MARKET']) as unknown,
    });
    expect(em.counter.served()).toBe(1);
  });

  it('fetchTicker reports the last price after trades', async () => {
    const { em, ex } = await setup();
    em.setPrice('BTCUSDT', '60100.0');
    em.setPrice('BTCUSDT', '60250.5');
    const t = await ex.fetchTicker(BTC);
    expect(t.last).toBe(60250.5);
    expect(t.high).toBe(60250.5);
    expect(t.low).toBe(60100);
  });

  it('fetchPositions returns a long opened through the admin API', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const [p, ...others] = await ex.fetchPositions([BTC]);
    expect(others).toHaveLength(0);
    expect(p).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 60000 });
  });

  it('createOrder with stopLossPrice + reduceOnly rests a STOP_MARKET algo order; fetch/cancel need { trigger: true }', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const order = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    expect(order).toMatchObject({ status: 'open', triggerPrice: 59000, reduceOnly: true });
    expect(order.info).toMatchObject({ orderType: 'STOP_MARKET' });
    expect(await ex.fetchOpenOrders(BTC)).toHaveLength(0);
    const open = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(open.map((o) => o.id)).toEqual([order.id]);
    const fetched = await ex.fetchOrder(order.id!, BTC, { trigger: true });
    expect(fetched.status).toBe('open');
    await ex.cancelOrder(order.id!, BTC, { trigger: true });
    expect(await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toHaveLength(0);
    expect((await ex.fetchOrder(order.id!, BTC, { trigger: true })).status).toBe('canceled');
  });

  it('createOrder with trailingPercent rests a TRAILING_STOP_MARKET with callbackRate and activation price', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const order = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      trailingPercent: 1.5,
      trailingTriggerPrice: 61000,
      reduceOnly: true,
      workingType: 'MARK_PRICE',
    });
    expect(order.info).toMatchObject({
      orderType: 'TRAILING_STOP_MARKET',
      callbackRate: '1.5',
      activatePrice: '61000',
      workingType: 'MARK_PRICE',
    });
    const state = await admin(em, 'GET', '/admin/state');
    expect(state.body.openOrders).toHaveLength(1);
  });

  it('closes a position with a reduce-only market order at the current price', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'short', '0.020');
    em.setPrice('BTCUSDT', '59000.0');
    const close = await ex.createOrder(BTC, 'market', 'buy', 0.02, undefined, { reduceOnly: true });
    expect(close).toMatchObject({ status: 'closed', filled: 0.02, average: 59000 });
    expect(await ex.fetchPositions([BTC])).toHaveLength(0);
    const fills = em.state().fills;
    expect(fills.at(-1)).toMatchObject({ side: 'BUY', price: '59000', realizedPnl: '20' });
  });

  it('cancelAllOrders with { trigger: true } cancels every resting stop of the symbol', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 58000,
      reduceOnly: true,
    });
    await ex.cancelAllOrders(BTC, { trigger: true });
    expect(em.exchange.openAlgos('BTCUSDT')).toHaveLength(0);
  });

  it('refuses a conditional type on /fapi/v1/order with -4120, as Binance does since the algo migration', async () => {
    const { em, ex } = await setup();
    await expect(
      ex.fapiPrivatePostOrder({
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'STOP_MARKET',
        stopPrice: '59000',
        quantity: '0.01',
      }),
    ).rejects.toThrow(/-4120/);
    expect(em.exchange.openAlgos()).toHaveLength(0);
  });
});
