import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { BTC, setup } from './emulatorHarness.ts';

/**
 * Starts a watch, waits until the emulator has the client's subscription to `stream`, then moves
 * the price: the trade is published only after the client listens, so the watch must see it.
 */
async function afterSubscribing<T>(
  em: Emulator,
  watch: () => Promise<T>,
  stream: string,
  price: string,
): Promise<T> {
  const result = watch();
  await em.streams.whenSubscribed(stream);
  em.setPrice('BTCUSDT', price);
  return result;
}

describe('emulator WebSocket streams through real ccxt binanceusdm', () => {
  it('watchTicker, watchTrades, watchBidsAsks and watchMarkPrice receive the moved prices', async () => {
    const { em, ex } = await setup();
    const ticker = await afterSubscribing(
      em,
      () => ex.watchTicker(BTC),
      'btcusdt@miniTicker',
      '60010.0',
    );
    expect(ticker).toMatchObject({ symbol: BTC, last: 60010 });
    const trades = await afterSubscribing(
      em,
      () => ex.watchTrades(BTC),
      'btcusdt@trade',
      '60020.0',
    );
    expect(trades.at(-1)).toMatchObject({ symbol: BTC, price: 60020 });
    const bidsAsks = await afterSubscribing(
      em,
      () => ex.watchBidsAsks([BTC]),
      'btcusdt@bookTicker',
      '60030.0',
    );
    expect(bidsAsks[BTC]).toMatchObject({ bid: 60030, ask: 60030.1 });
    // The mark price is pushed on the emulator's timer, so the first push carries the new mark.
    em.setPrice('BTCUSDT', '60040.0', '60041.5');
    const mark = await ex.watchMarkPrice(BTC);
    expect(mark).toMatchObject({ symbol: BTC, markPrice: 60041.5 });
  });

  it('serves aggTrade and combined streams to a raw client, and answers SUBSCRIBE with its id', async () => {
    const { em } = await setup();
    const ws = new WebSocket(`${em.wsUrl.replace(/\/ws$/, '')}/stream?streams=btcusdt@aggTrade`);
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<unknown>((r) =>
      ws.once('message', (m: Buffer) => r(JSON.parse(m.toString()))),
    );
    em.setPrice('BTCUSDT', '60100.0');
    expect(await got).toMatchObject({
      stream: 'btcusdt@aggTrade',
      data: { e: 'aggTrade', s: 'BTCUSDT', p: '60100' },
    });
    const ack = new Promise<unknown>((r) =>
      ws.once('message', (m: Buffer) => r(JSON.parse(m.toString()))),
    );
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@bookTicker'], id: 7 }));
    expect(await ack).toEqual({ result: null, id: 7 });
    ws.close();
  });

  it('watchOrders sees ALGO_UPDATE for a new stop and the triggered fill; watchPositions sees ACCOUNT_UPDATE', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const first = ex.watchOrders(BTC);
    await em.streams.whenUserStreamOpen();
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    const orders = await first;
    expect(orders.at(-1)).toMatchObject({ id: stop.id, status: 'open', triggerPrice: 59000 });
    // The first watchPositions answers with the REST snapshot; later ones with ACCOUNT_UPDATEs.
    const snapshot = await ex.watchPositions([BTC]);
    expect(snapshot.at(-1)).toMatchObject({ symbol: BTC, contracts: 0.01 });
    // Both watches below register before this turn ends: the stream is open and authenticated,
    // so the events of the trigger, which arrive later over the socket, reach them.
    const positions = ex.watchPositions([BTC]);
    const finished = (async () => {
      for (;;) {
        const batch = await ex.watchOrders(BTC);
        const s = batch.find((o) => o.id === stop.id && o.status === 'closed');
        if (s !== undefined) return batch;
      }
    })();
    em.setPrice('BTCUSDT', '58990.0');
    const batch = await finished;
    expect(batch.find((o) => o.id === stop.id)?.status).toBe('closed');
    const pos = await positions;
    expect(pos.at(-1)).toMatchObject({ symbol: BTC, contracts: 0 });
  });

  it('a WebSocket disconnect rejects pending watches with NetworkError, and the next watch redials', async () => {
    const { em, ex } = await setup();
    await afterSubscribing(em, () => ex.watchTicker(BTC), 'btcusdt@miniTicker', '60010.0');
    expect(em.streams.connections()).toBeGreaterThan(0);
    const pending = ex.watchTicker(BTC);
    em.injectFaults({ wsDisconnect: true });
    await expect(pending).rejects.toBeInstanceOf(ccxt.NetworkError);
    const again = await afterSubscribing(
      em,
      () => ex.watchTicker(BTC),
      'btcusdt@miniTicker',
      '60500.0',
    );
    expect(again.last).toBe(60500);
    expect(em.streams.connections()).toBeGreaterThan(0);
  });

  it('refuses a private stream with an unknown listenKey', async () => {
    const { em } = await setup();
    const ws = new WebSocket(`${em.wsUrl.replace(/\/ws$/, '')}/private/ws?listenKey=bogus`);
    const outcome = await new Promise<string>((r) => {
      ws.once('open', () => r('open'));
      ws.once('error', () => r('error'));
    });
    expect(outcome).toBe('error');
  });
});
