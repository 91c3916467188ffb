import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { admin, emulator, socketMessages } from './emulatorHarness.ts';
import { bybitClient } from './bybitHarness.ts';

const NO_AMOUNT = undefined as unknown as number;

/** One public message of the Bybit stream, by topic and the price it carries. */
interface Published {
  readonly topic: string;
  readonly price: string;
}

/**
 * Opens the Bybit public linear stream subscribed to `topics`; `next()` resolves with each
 * published message in arrival order (subscription answers are skipped).
 */
async function publicStream(
  url: string,
  topics: readonly string[],
): Promise<{ next: () => Promise<Published>; close: () => void }> {
  const stream = socketMessages(`${url}/v5/public/linear`, (raw): Published | undefined => {
    const msg = raw as {
      topic?: string;
      data?: { lastPrice?: string } | Array<{ p?: string }>;
    };
    if (msg.topic === undefined) return undefined;
    const data = msg.data;
    return {
      topic: msg.topic,
      price: Array.isArray(data) ? (data[0]?.p ?? '') : (data?.lastPrice ?? ''),
    };
  });
  const ws = await stream.opened;
  ws.send(JSON.stringify({ op: 'subscribe', args: topics }));
  return stream;
}

describe('soak faults on the Bybit side of the emulator', () => {
  it('sends a frozen symbol no ticker or trade until it thaws, leaving the others', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const topics = [
      'publicTrade.BTCUSDT',
      'tickers.BTCUSDT',
      'publicTrade.ETHUSDT',
      'tickers.ETHUSDT',
    ];
    const stream = await publicStream(em.bybitWsUrl, topics);
    for (const topic of topics) await em.bybitStreams.whenSubscribed(topic);

    em.injectFaults({ frozenStreams: ['btcusdt'] });
    em.setPrice('BTCUSDT', '60100');
    em.setPrice('ETHUSDT', '3010');
    // BTC traded first, yet its trade and ticker were never sent: ETH's come first.
    expect(await stream.next()).toEqual({ topic: 'publicTrade.ETHUSDT', price: '3010.00' });
    expect(await stream.next()).toEqual({ topic: 'tickers.ETHUSDT', price: '3010.00' });
    expect((await admin(em, 'GET', '/admin/state')).body.faults?.frozenStreams).toEqual([
      'BTCUSDT',
    ]);
    // The exchange kept trading: REST has BTC's new price.
    expect(em.state().prices['BTCUSDT']?.last).toBe('60100');

    em.injectFaults({ frozenStreams: [] });
    em.setPrice('BTCUSDT', '60200');
    expect(await stream.next()).toEqual({ topic: 'publicTrade.BTCUSDT', price: '60200.0' });
    expect(await stream.next()).toEqual({ topic: 'tickers.BTCUSDT', price: '60200.0' });

    em.injectFaults({ frozenStreams: '*' });
    em.setPrice('BTCUSDT', '60300');
    em.setPrice('ETHUSDT', '3020');
    em.injectFaults({ clear: true });
    em.setPrice('ETHUSDT', '3030');
    expect(await stream.next()).toEqual({ topic: 'publicTrade.ETHUSDT', price: '3030.00' });
    stream.close();
  });

  it('counts Bybit requests per route, so a soak can tell stop calls from reads', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const ex = await bybitClient(em);
    await ex.loadMarkets();
    expect(em.counter.servedOn('GET /v5/market/instruments-info')).toBe(2);
    em.openPosition('BTCUSDT', 'long', '0.010');
    await ex.createOrder('BTC/USDT:USDT', 'market', 'sell', NO_AMOUNT, undefined, {
      stopLossPrice: 59000,
      tradingStopEndpoint: true,
    });
    expect(em.counter.servedOn('POST /v5/position/trading-stop')).toBe(1);
    expect(em.counter.servedOn('POST /v5/order/create')).toBe(0);
    expect(em.exchange.positionStop('BTCUSDT')?.triggerPrice.toString()).toBe('59000');
    const before = em.counter.served();
    await fetch(`${em.restUrl}/v5/nowhere`);
    expect(em.counter.servedOn('other')).toBe(1);
    expect(em.counter.served()).toBe(before + 1);
  });

  it('skews the Bybit clock clients see, so a client that measures it again is accepted', async () => {
    const clock = new ManualClock(Date.now());
    const em = await emulator({ symbols: ['BTCUSDT'], clock });
    const ex = await bybitClient(em);
    await ex.loadMarkets();
    em.injectFaults({ clockSkewMs: -1500 });
    // Signed with the wall clock, now 1.5 s ahead of the exchange's: refused (10002).
    await expect(ex.fetchPositions(['BTC/USDT:USDT'])).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    // ccxt reads the answer's `time`: it must be the skewed clock for a resync to help.
    const seen = await ex.fetchTime();
    expect(seen).toBe(clock.now() - 1500);
    ex.options['timeDifference'] = Date.now() - (seen ?? 0);
    await expect(ex.fetchPositions(['BTC/USDT:USDT'])).resolves.toBeDefined();
    em.injectFaults({ clear: true });
    expect(await ex.fetchTime()).toBe(clock.now());
  });
});
