import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/venues/emulator/admin.ts';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { admin, emulator } from './emulatorHarness.ts';

describe('admin API', () => {
  it('opens positions, moves prices and reports state with unprotectedMs', async () => {
    const clock = new ManualClock();
    const em = await emulator({ clock });
    const opened = await admin(em, 'POST', '/admin/positions', {
      symbol: 'ETHUSDT',
      side: 'short',
      quantity: '0.500',
    });
    expect(opened.status).toBe(200);
    expect(opened.body.position).toMatchObject({
      side: 'short',
      amount: '-0.5',
      entryPrice: '3000',
    });
    const moved = await admin(em, 'POST', '/admin/price', {
      symbol: 'ETHUSDT',
      price: '2990.004',
      markPrice: '2991',
    });
    expect(moved.body).toEqual({ symbol: 'ETHUSDT', price: '2990', markPrice: '2991' }); // rounded to the 0.01 tick
    clock.advance(1234);
    const state = await admin(em, 'GET', '/admin/state');
    expect(state.body.positions).toEqual([
      expect.objectContaining({
        symbol: 'ETHUSDT',
        side: 'short',
        unrealizedPnl: '4.5',
        unprotectedMs: 1234,
      }),
    ]);
    expect(state.body.fills).toHaveLength(1);
    expect(state.body.prices?.ETHUSDT).toEqual({ last: '2990', mark: '2991' });
  });

  it('reduces and closes a position with the opposite side, as if closed elsewhere', async () => {
    const em = await emulator();
    const post = (body: unknown): ReturnType<typeof admin> =>
      admin(em, 'POST', '/admin/positions', body);
    await post({ symbol: 'BTCUSDT', side: 'long', quantity: '0.010' });
    em.exchange.placeAlgo({
      symbol: 'BTCUSDT',
      side: 'SELL',
      orderType: 'STOP_MARKET',
      quantity: new Decimal('0.01'),
      triggerPrice: new Decimal('59000'),
      callbackRate: undefined,
      activatePrice: undefined,
      workingType: 'CONTRACT_PRICE',
      reduceOnly: true,
      closePosition: false,
      priceProtect: false,
      clientAlgoId: 'mine',
    });
    const reduced = await post({ symbol: 'BTCUSDT', side: 'short', quantity: '0.004' });
    expect(reduced.body.position).toMatchObject({ side: 'long', amount: '0.006' });
    const closed = await post({ symbol: 'BTCUSDT', side: 'short', reduceOnly: true });
    expect(closed.body.position).toMatchObject({ side: 'flat', amount: '0' });
    expect(closed.body.order).toMatchObject({
      side: 'SELL',
      executedQty: '0.006',
      reduceOnly: true,
    });
    const state = await admin(em, 'GET', '/admin/state');
    expect(state.body.positions).toEqual([]);
    expect(state.body.openOrders).toEqual([expect.objectContaining({ clientAlgoId: 'mine' })]);
    expect(await post({ symbol: 'BTCUSDT', side: 'short', reduceOnly: true })).toMatchObject({
      status: 400,
      body: { code: -2022 },
    });
    const missing = await post({ symbol: 'BTCUSDT', side: 'short' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/quantity is required unless reduceOnly/);
    // A plain opposite order larger than the position flips it.
    em.openPosition('BTCUSDT', 'long', '0.002');
    expect(em.openPosition('BTCUSDT', 'short', '0.005')).toMatchObject({
      side: 'short',
      amount: '-0.003',
    });
    expect(em.closePosition('BTCUSDT', '0.001')).toMatchObject({ amount: '-0.002' });
    expect(em.closePosition('BTCUSDT')).toMatchObject({ side: 'flat' });
    expect(() => em.closePosition('BTCUSDT')).toThrow(/-2022/);
  });

  it('answers readable 400s for bad bodies and 404 for unknown routes', async () => {
    const em = await emulator();
    const bad = await admin(em, 'POST', '/admin/positions', {
      symbol: 'BTCUSDT',
      side: 'up',
      quantity: '1',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/side/);
    const unknownSymbol = await admin(em, 'POST', '/admin/price', {
      symbol: 'DOGEUSDT',
      price: '1',
    });
    expect(unknownSymbol).toMatchObject({ status: 400, body: { code: -1121 } });
    const faults = await admin(em, 'POST', '/admin/faults', { latencyMs: -1 });
    expect(faults.status).toBe(400);
    expect((await admin(em, 'GET', '/admin/nothing')).status).toBe(404);
  });

  it('injects faults over HTTP and reports them in state', async () => {
    const em = await emulator();
    const r = await admin(em, 'POST', '/admin/faults', {
      latencyMs: 5,
      burst429: { requests: 1 },
      reject: { count: 3, code: -2021 },
      lostResponse: [
        { endpoint: 'POST /fapi/v1/algoOrder' },
        { endpoint: 'DELETE /fapi/v1/algoOrder', count: 2, mode: 'reset' },
      ],
    });
    expect(r.body.faults).toMatchObject({
      latencyMs: 5,
      burst429: { remaining: 1 },
      reject: { remaining: 3, code: -2021 },
      lostResponse: [
        { endpoint: 'POST /fapi/v1/algoOrder', remaining: 1, mode: 'hold' },
        { endpoint: 'DELETE /fapi/v1/algoOrder', remaining: 2, mode: 'reset' },
      ],
      lostResponses: 0,
    });
    const badMode = await admin(em, 'POST', '/admin/faults', { lostResponse: { mode: 'drop' } });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error).toMatch(/lostResponse/);
    expect((await fetch(`${em.restUrl}/fapi/v1/time`)).status).toBe(429);
    expect((await fetch(`${em.restUrl}/fapi/v1/time`)).status).toBe(200);
    const cleared = await admin(em, 'POST', '/admin/faults', { clear: true });
    expect(cleared.body.faults).toMatchObject({
      latencyMs: 0,
      burst429: null,
      reject: null,
      lostResponse: [],
    });
  });

  it('serves loopback clients only', () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.3.2.1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::ffff:192.168.1.2', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
