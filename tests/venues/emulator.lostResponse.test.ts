import ccxt, { type Order } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { BTC, client, emulator } from './emulatorHarness.ts';

/** An emulator with a long position and a client that gives up after a second. */
async function withPosition(): Promise<{
  em: Awaited<ReturnType<typeof emulator>>;
  ex: Awaited<ReturnType<typeof client>>;
}> {
  const em = await emulator();
  const ex = await client(em, { timeout: 1000 });
  await ex.loadMarkets();
  em.openPosition('BTCUSDT', 'long', '0.010');
  return { em, ex };
}

const stop = (
  ex: Awaited<ReturnType<typeof client>>,
  stopLossPrice: number,
  clientOrderId: string,
): Promise<Order> =>
  ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
    stopLossPrice,
    reduceOnly: true,
    clientOrderId,
  });

describe('the lost-response fault: executed, but the caller never learns the outcome', () => {
  it('hold: createOrder times out (RequestTimeout) while the stop rests on the exchange', async () => {
    const { em, ex } = await withPosition();
    em.injectFaults({ lostResponse: { endpoint: 'POST /fapi/v1/algoOrder' } });
    const err = await stop(ex, 59000, 'lost1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.RequestTimeout);
    const open = await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(open.map((o) => o.clientOrderId)).toEqual(['lost1']);
    expect(em.state().faults).toMatchObject({ lostResponse: [], lostResponses: 1 });
    // Spent: the next placement is answered.
    await expect(stop(ex, 58000, 'fine')).resolves.toMatchObject({ status: 'open' });
  });

  it('reset: cancelOrder fails with a NetworkError N times while each cancel takes effect', async () => {
    const { em, ex } = await withPosition();
    const a = await stop(ex, 59000, 'a');
    const b = await stop(ex, 58000, 'b');
    const c = await stop(ex, 57000, 'c');
    em.injectFaults({
      lostResponse: { endpoint: 'DELETE /fapi/v1/algoOrder', count: 2, mode: 'reset' },
    });
    for (const o of [a, b]) {
      const err = await ex.cancelOrder(o.id!, BTC, { trigger: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ccxt.NetworkError);
      expect((await ex.fetchOrder(o.id!, BTC, { trigger: true })).status).toBe('canceled');
    }
    await expect(ex.cancelOrder(c.id!, BTC, { trigger: true })).resolves.toBeDefined();
  });

  it('defaults to the order placements, market orders included', async () => {
    const { em, ex } = await withPosition();
    em.injectFaults({ lostResponse: { mode: 'reset' } });
    await expect(ex.fetchTicker(BTC)).resolves.toMatchObject({ symbol: BTC });
    const err = await ex
      .createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(await ex.fetchPositions([BTC])).toHaveLength(0);
  });
});
