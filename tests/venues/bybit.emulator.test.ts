import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ManualClock, type Bybit, type Emulator } from '../../src/venues/emulator/index.ts';
import { emulator } from './emulatorHarness.ts';
import { bybitClient } from './bybitHarness.ts';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
/** A Full-mode stop through ccxt's unified call: no amount, so no slSize (Partial). */
const NO_AMOUNT = undefined as unknown as number;

async function setup(options: Parameters<typeof emulator>[0] = {}) {
  const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'], ...options });
  const ex = await bybitClient(em);
  await ex.loadMarkets();
  return { em, ex };
}

/**
 * Moves the emulator's manual clock and aligns the client's signing clock with it, so requests
 * stay inside recvWindow however long the test has run on the wall clock.
 */
function advance(clock: ManualClock, ex: Bybit, ms: number): void {
  clock.advance(ms);
  ex.options['timeDifference'] = Date.now() - clock.now();
}

function positionStop(em: Emulator, symbol: string) {
  return em.state().positions.find((p) => p.symbol === symbol)?.positionStop ?? null;
}

async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe('the Bybit v5 side of the emulator, through real ccxt bybit', () => {
  it('loads the linear markets in two requests, with Bybit’s tick and step', async () => {
    const em = await emulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    const ex = await bybitClient(em);
    const before = em.counter.served();
    await ex.loadMarkets();
    // instruments-info, and again for the pre-launch contracts (none here).
    expect(em.counter.served() - before).toBe(2);
    const markets = await ex.loadMarkets();
    expect(Object.keys(markets)).toEqual([BTC, ETH]);
    expect(markets[BTC]).toMatchObject({
      id: 'BTCUSDT',
      linear: true,
      swap: true,
      settle: 'USDT',
      precision: { price: 0.1, amount: 0.001 },
    });
    expect((await ex.fetchTicker(BTC)).last).toBe(60000);
  });

  it('reads positions long and short, with the stop each carries', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'short', '0.500');
    await ex.createOrder(ETH, 'market', 'buy', NO_AMOUNT, undefined, {
      stopLossPrice: 3060,
      tradingStopEndpoint: true,
    });
    const positions = await ex.fetchPositions();
    expect(
      positions.map((p) => [p.symbol, p.side, p.contracts, p.entryPrice, p.stopLossPrice]),
    ).toEqual([
      [BTC, 'long', 0.01, 60000, 0],
      [ETH, 'short', 0.5, 3000, 3060],
    ]);
  });

  it('sets, moves in place and clears a position stop; the same value again is 34040', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    advance(clock, ex, 250);
    await ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
      stopLossPrice: 59000,
      tradingStopEndpoint: true,
      slTriggerBy: 'MarkPrice',
    });
    expect(positionStop(em, 'BTCUSDT')).toMatchObject({
      stopPrice: '59000',
      workingType: 'MARK_PRICE',
    });
    const [first] = await ex.fetchOpenOrders(BTC);
    expect(first).toMatchObject({ status: 'open', triggerPrice: 59000, reduceOnly: true });
    advance(clock, ex, 1000);
    await ex.privatePostV5PositionTradingStop({
      category: 'linear',
      symbol: 'BTCUSDT',
      tpslMode: 'Full',
      positionIdx: 0,
      stopLoss: '59500.0',
      slTriggerBy: 'MarkPrice',
    });
    const [moved] = await ex.fetchOpenOrders(BTC);
    // Moved in place: the conditional order keeps its id, and no instant was naked.
    expect(moved).toMatchObject({ id: first?.id, triggerPrice: 59500 });
    const repeated = await thrown(
      ex.privatePostV5PositionTradingStop({
        category: 'linear',
        symbol: 'BTCUSDT',
        tpslMode: 'Full',
        positionIdx: 0,
        stopLoss: '59500.0',
        slTriggerBy: 'MarkPrice',
      }),
    );
    expect(repeated).toBeInstanceOf(ccxt.ExchangeError);
    expect(repeated.message).toContain('"retCode":34040');
    advance(clock, ex, 500);
    const clear = { category: 'linear', symbol: 'BTCUSDT', tpslMode: 'Full', stopLoss: '0' };
    await ex.privatePostV5PositionTradingStop(clear);
    expect(positionStop(em, 'BTCUSDT')).toBeNull();
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);
    expect((await thrown(ex.privatePostV5PositionTradingStop(clear))).message).toContain('34040');
    advance(clock, ex, 100);
    const [record] = em.state().protection;
    expect(record).toMatchObject({
      isProtected: false,
      unprotectedMs: 250 + 100,
      unprotectedMsSinceFirstProtected: 100,
    });
  });

  it('refuses a stop already past the price, a stop without a position, and what it does not emulate', async () => {
    const { em, ex } = await setup();
    const past = await thrown(
      ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
        stopLossPrice: 59000,
        tradingStopEndpoint: true,
      }),
    );
    expect(past).toBeInstanceOf(ccxt.BadRequest);
    expect(past.message).toContain('can not set tp/sl/ts for zero position');
    em.openPosition('BTCUSDT', 'long', '0.010');
    const above = await thrown(
      ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
        stopLossPrice: 60000,
        tradingStopEndpoint: true,
      }),
    );
    expect(above.message).toContain(
      'sl:600000000 set for Buy position should lower base_price:600000000??LastPrice',
    );
    em.openPosition('ETHUSDT', 'short', '1.000');
    const below = await thrown(
      ex.createOrder(ETH, 'market', 'buy', NO_AMOUNT, undefined, {
        stopLossPrice: 2999,
        tradingStopEndpoint: true,
      }),
    );
    expect(below.message).toContain('set for Sell position should greater base_price');
    // An amount makes ccxt ask for a Partial stop, which is not emulated.
    const partial = await thrown(
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 59000,
        tradingStopEndpoint: true,
      }),
    );
    expect(partial.message).toContain('tpslMode Partial is not emulated');
    expect(em.state().positions.map((p) => p.positionStop)).toEqual([null, null]);
  });

  it('a stop on the last price fires at once and closes the position; one on the mark waits for the mark', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.openPosition('ETHUSDT', 'short', '1.000');
    await ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
      stopLossPrice: 59000,
      tradingStopEndpoint: true,
      slTriggerBy: 'LastPrice',
    });
    await ex.createOrder(ETH, 'market', 'buy', NO_AMOUNT, undefined, {
      stopLossPrice: 3100,
      tradingStopEndpoint: true,
      slTriggerBy: 'MarkPrice',
    });
    // A gap through the stop fills at the gap price.
    em.setPrice('BTCUSDT', '58900.0');
    em.setPrice('ETHUSDT', '3150.00', '3099.00');
    const after = em.state();
    expect(after.positions.map((p) => p.symbol)).toEqual(['ETHUSDT']);
    expect(after.fills.at(-1)).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL', price: '58900' });
    expect(after.protection.find((p) => p.symbol === 'BTCUSDT')).toMatchObject({
      isProtected: true,
      unprotectedMsSinceFirstProtected: 0,
    });
    em.setPrice('ETHUSDT', '3150.00', '3100.00');
    expect(em.state().positions).toEqual([]);
    expect(em.state().fills.at(-1)).toMatchObject({
      symbol: 'ETHUSDT',
      side: 'BUY',
      price: '3150',
    });
    // The order that closed BTC is the stop's own conditional order, executed.
    const closed = await ex.fetchClosedOrders(BTC);
    expect(closed.at(-1)).toMatchObject({ status: 'closed', filled: 0.01, average: 58900 });
    expect(closed.at(-1)?.info).toMatchObject({ stopOrderType: 'StopLoss' });
  });

  it('drops a position’s stop when the position is closed elsewhere', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    await ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
      stopLossPrice: 59000,
      tradingStopEndpoint: true,
    });
    em.closePosition('BTCUSDT');
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);
    em.openPosition('BTCUSDT', 'long', '0.010');
    expect(positionStop(em, 'BTCUSDT')).toBeNull();
    expect((await ex.fetchPositions())[0]?.stopLossPrice).toBe(0);
  });

  it('fills a reduce-only market order at the last price, finds it by link id, and refuses one with nothing to reduce', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'short', '0.010');
    em.setPrice('BTCUSDT', '60100.0');
    const order = await ex.createOrder(BTC, 'market', 'buy', 0.004, undefined, {
      reduceOnly: true,
      clientOrderId: 'rt-abcdefg-x1',
    });
    const found = await ex.fetchOrder(String(order.id), BTC, { acknowledged: true });
    expect(found).toMatchObject({
      clientOrderId: 'rt-abcdefg-x1',
      status: 'closed',
      filled: 0.004,
      average: 60100,
      reduceOnly: true,
    });
    const byLink = await ex.privateGetV5OrderRealtime({
      category: 'linear',
      symbol: 'BTCUSDT',
      orderLinkId: 'rt-abcdefg-x1',
    });
    expect((byLink as { result: { list: { orderId: string }[] } }).result.list[0]?.orderId).toBe(
      order.id,
    );
    const twice = await thrown(
      ex.createOrder(BTC, 'market', 'buy', 0.001, undefined, {
        reduceOnly: true,
        clientOrderId: 'rt-abcdefg-x1',
      }),
    );
    expect(twice.message).toContain('110072');
    em.closePosition('BTCUSDT');
    const none = await thrown(
      ex.createOrder(BTC, 'market', 'buy', 0.001, undefined, { reduceOnly: true }),
    );
    expect(none).toBeInstanceOf(ccxt.InvalidOrder);
    expect(none.message).toContain('110017');
  });

  it('refuses a bad signature and an unknown key (AuthenticationError), a stale timestamp (InvalidNonce)', async () => {
    const em = await emulator({ symbols: ['BTCUSDT'] });
    const badSecret = await bybitClient(em, { secret: 'not-the-secret-of-this-account' });
    await badSecret.loadMarkets();
    const sign = await thrown(badSecret.fetchPositions());
    expect(sign).toBeInstanceOf(ccxt.AuthenticationError);
    expect(sign.message).toContain('10004');
    const badKey = await bybitClient(em, { apiKey: 'someone-elses-key' });
    await badKey.loadMarkets();
    expect(await thrown(badKey.fetchPositions())).toBeInstanceOf(ccxt.AuthenticationError);
    const late = await bybitClient(em, { options: { timeDifference: 60_000 } });
    await late.loadMarkets();
    const stale = await thrown(late.fetchPositions());
    expect(stale).toBeInstanceOf(ccxt.InvalidNonce);
    expect(stale.message).toContain('10002');
  });

  it('answers the 11th trading-stop in one second with 10006 (RateLimitExceeded), and the next second again', async () => {
    const clock = new ManualClock();
    const em = await emulator({ symbols: ['BTCUSDT'], clock });
    // ccxt's own throttle would spend real seconds while the emulator's clock stands still.
    const ex = await bybitClient(em, { enableRateLimit: false });
    await ex.loadMarkets();
    em.openPosition('BTCUSDT', 'long', '0.010');
    advance(clock, ex, 0);
    const move = (price: number) =>
      ex.privatePostV5PositionTradingStop({
        category: 'linear',
        symbol: 'BTCUSDT',
        tpslMode: 'Full',
        positionIdx: 0,
        stopLoss: price.toFixed(1),
      });
    for (let i = 0; i < 10; i++) await move(59000 + i);
    const limited = await thrown(move(59100));
    expect(limited).toBeInstanceOf(ccxt.RateLimitExceeded);
    expect(limited.message).toContain('Too many visits!');
    expect(positionStop(em, 'BTCUSDT')?.stopPrice).toBe('59009');
    advance(clock, ex, 1000);
    await move(59100);
    expect(positionStop(em, 'BTCUSDT')?.stopPrice).toBe('59100');
  });

  it('answers past the IP limit with HTTP 403 (RateLimitExceeded)', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock, bybitIpLimit: 4 });
    // loadMarkets spent two of the four.
    await ex.fetchTicker(BTC);
    await ex.fetchTicker(BTC);
    expect(await thrown(ex.fetchTicker(BTC))).toBeInstanceOf(ccxt.RateLimitExceeded);
    advance(clock, ex, 5000);
    expect((await ex.fetchTicker(BTC)).last).toBe(60000);
    void em;
  });

  it('injected faults reach the Bybit side: an internal error is 10016, a lost answer was executed', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    em.injectFaults({ errorRate: { 'POST /v5/position/trading-stop': 1 } });
    const internal = await thrown(
      ex.privatePostV5PositionTradingStop({
        category: 'linear',
        symbol: 'BTCUSDT',
        tpslMode: 'Full',
        stopLoss: '59000',
      }),
    );
    expect(internal.message).toContain('10016');
    expect(positionStop(em, 'BTCUSDT')).toBeNull();
    em.injectFaults({ clear: true, lostResponse: { mode: 'reset' } });
    const lost = await thrown(
      ex.privatePostV5PositionTradingStop({
        category: 'linear',
        symbol: 'BTCUSDT',
        tpslMode: 'Full',
        stopLoss: '59000',
      }),
    );
    expect(lost).toBeInstanceOf(ccxt.NetworkError);
    expect(positionStop(em, 'BTCUSDT')?.stopPrice).toBe('59000');
  });
});

describe('the Bybit v5 WebSockets of the emulator, through real ccxt bybit', () => {
  it('watchTicker and watchTrades receive the moved prices', async () => {
    const { em, ex } = await setup();
    const ticker = ex.watchTicker(BTC);
    await em.bybitStreams.whenSubscribed('tickers.BTCUSDT');
    em.setPrice('BTCUSDT', '60010.0', '60005.0');
    expect(await ticker).toMatchObject({ symbol: BTC, last: 60010, markPrice: 60005 });
    const trades = ex.watchTrades(BTC);
    await em.bybitStreams.whenSubscribed('publicTrade.BTCUSDT');
    em.setPrice('BTCUSDT', '60020.0');
    expect((await trades).at(-1)).toMatchObject({ symbol: BTC, price: 60020 });
  });

  it('watchPositions and watchOrders report a position, its stop and the stop firing', async () => {
    const { em, ex } = await setup();
    // ccxt's first watchPositions answers its REST snapshot (linear and inverse lists).
    expect(await ex.watchPositions()).toEqual([]);
    const positions = ex.watchPositions();
    const orders = ex.watchOrders();
    await em.bybitStreams.whenSubscribed('position');
    await em.bybitStreams.whenSubscribed('order');
    em.openPosition('BTCUSDT', 'long', '0.010');
    expect((await positions).at(-1)).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01 });
    // New, then Filled at once: ccxt keeps the latest state of each order.
    expect((await orders).at(-1)).toMatchObject({
      symbol: BTC,
      side: 'buy',
      status: 'closed',
      filled: 0.01,
    });
    const set = ex.watchOrders();
    await ex.createOrder(BTC, 'market', 'sell', NO_AMOUNT, undefined, {
      stopLossPrice: 59000,
      tradingStopEndpoint: true,
    });
    expect((await set).at(-1)?.info).toMatchObject({
      stopOrderType: 'StopLoss',
      orderStatus: 'Untriggered',
      triggerPrice: '59000',
    });
    const fired = ex.watchPositions();
    // Every status the stop's order goes through, read until it is filled.
    const statuses: unknown[] = [];
    const filled = (async () => {
      while (statuses.at(-1) !== 'Filled')
        for (const o of await ex.watchOrders()) {
          const info = o.info as Record<string, unknown>;
          if (info['stopOrderType'] === 'StopLoss') statuses.push(info['orderStatus']);
        }
    })();
    em.setPrice('BTCUSDT', '59000.0');
    const flat = (await fired).at(-1);
    expect(flat?.info).toMatchObject({ symbol: 'BTCUSDT', size: '0', side: '', stopLoss: '0' });
    await filled;
    // Triggered, New and Filled arrive in one burst; ccxt may show only the last of them.
    expect(statuses.every((x) => ['Triggered', 'New', 'Filled'].includes(String(x)))).toBe(true);
  });

  it('answers ping with pong on both streams and refuses a bad auth op', async () => {
    const { em } = await setup();
    const ask = async (path: string, messages: unknown[]): Promise<unknown[]> => {
      const ws = new WebSocket(`${em.bybitWsUrl}${path}`);
      await new Promise((r) => ws.once('open', r));
      const replies: unknown[] = [];
      const done = new Promise<void>((resolve) =>
        ws.on('message', (m: Buffer) => {
          replies.push(JSON.parse(m.toString()));
          if (replies.length === messages.length) resolve();
        }),
      );
      for (const m of messages) ws.send(JSON.stringify(m));
      await done;
      ws.close();
      return replies;
    };
    expect(await ask('/v5/public/linear', [{ op: 'ping', req_id: '7' }])).toEqual([
      expect.objectContaining({ success: true, ret_msg: 'pong', op: 'ping', req_id: '7' }),
    ]);
    const [pong, auth, subscribe] = await ask('/v5/private', [
      { op: 'ping', req_id: '8' },
      { op: 'auth', args: [em.apiKey, Date.now() + 10_000, 'f'.repeat(64)] },
      { op: 'subscribe', req_id: '9', args: ['position'] },
    ]);
    expect(pong).toMatchObject({ op: 'pong', req_id: '8' });
    expect(auth).toMatchObject({ success: false, op: 'auth' });
    expect(subscribe).toMatchObject({ success: false, op: 'subscribe', req_id: '9' });
  });

  it('a dropped socket fails the pending watch with NetworkError, and the next watch redials', async () => {
    const { em, ex } = await setup();
    const first = ex.watchTicker(BTC);
    await em.bybitStreams.whenSubscribed('tickers.BTCUSDT');
    em.injectFaults({ wsDisconnect: true });
    expect(await thrown(first)).toBeInstanceOf(ccxt.NetworkError);
    const again = ex.watchTicker(BTC);
    await em.bybitStreams.whenSubscribed('tickers.BTCUSDT');
    em.setPrice('BTCUSDT', '60500.0');
    expect(await again).toMatchObject({ last: 60500 });
  });
});
