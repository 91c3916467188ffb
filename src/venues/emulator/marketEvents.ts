import type { EmulatedExchange, TradeTick } from './exchange.ts';
import { formatTo } from './markets.ts';

/**
 * Binance's market-stream payloads, built from the emulator's books. Stream names are the
 * lower-case ones ccxt subscribes to (`btcusdt@aggTrade`, `btcusdt@markPrice@1s`, …).
 */

/** Returns the payloads a trade produces on each per-symbol stream it concerns. */
export function tradeEvents(ex: EmulatedExchange, tick: TradeTick): Map<string, unknown> {
  const s = tick.symbol;
  const low = s.toLowerCase();
  const book = ex.book(s);
  const p = tick.price.toString();
  const q = tick.qty.toString();
  const t = book.stats.json(s, tick.time, book.last);
  const out = new Map<string, unknown>();
  out.set(`${low}@aggTrade`, {
    e: 'aggTrade',
    E: tick.time,
    a: tick.tradeId,
    s,
    p,
    q,
    f: tick.tradeId,
    l: tick.tradeId,
    T: tick.time,
    m: tick.isBuyerMaker,
  });
  out.set(`${low}@trade`, {
    e: 'trade',
    E: tick.time,
    T: tick.time,
    s,
    t: tick.tradeId,
    p,
    q,
    X: 'MARKET',
    m: tick.isBuyerMaker,
  });
  out.set(`${low}@ticker`, tickerEvent(s, t, tick.time));
  out.set(`${low}@miniTicker`, miniTickerEvent(s, t, tick.time));
  out.set(`${low}@bookTicker`, bookTickerEvent(ex, s, tick.time));
  return out;
}

/** Returns a `24hrTicker` event from a 24-hour ticker row. */
export function tickerEvent(
  s: string,
  t: Record<string, string | number>,
  now: number,
): Record<string, unknown> {
  return {
    e: '24hrTicker',
    E: now,
    s,
    p: t['priceChange'],
    P: t['priceChangePercent'],
    w: t['weightedAvgPrice'],
    c: t['lastPrice'],
    Q: t['lastQty'],
    o: t['openPrice'],
    h: t['highPrice'],
    l: t['lowPrice'],
    v: t['volume'],
    q: t['quoteVolume'],
    O: t['openTime'],
    C: t['closeTime'],
    F: t['firstId'],
    L: t['lastId'],
    n: t['count'],
  };
}

/** Returns a `24hrMiniTicker` event. */
export function miniTickerEvent(
  s: string,
  t: Record<string, string | number>,
  now: number,
): Record<string, unknown> {
  return {
    e: '24hrMiniTicker',
    E: now,
    s,
    c: t['lastPrice'],
    o: t['openPrice'],
    h: t['highPrice'],
    l: t['lowPrice'],
    v: t['volume'],
    q: t['quoteVolume'],
  };
}

/** Returns a `bookTicker` event: bid at the last price, ask one tick above. */
export function bookTickerEvent(
  ex: EmulatedExchange,
  s: string,
  now: number,
): Record<string, unknown> {
  const book = ex.book(s);
  return {
    e: 'bookTicker',
    u: book.stats.lastId,
    s,
    b: book.last.toString(),
    B: '10',
    a: formatTo(book.last.plus(book.spec.tickSize), book.spec.tickSize),
    A: '10',
    T: now,
    E: now,
  };
}

/** Returns a `markPriceUpdate` event. */
export function markPriceEvent(
  ex: EmulatedExchange,
  s: string,
  now: number,
): Record<string, unknown> {
  const mark = ex.book(s).mark.toString();
  const nextFunding = Math.ceil((now + 1) / 28_800_000) * 28_800_000;
  return {
    e: 'markPriceUpdate',
    E: now,
    s,
    p: mark,
    i: mark,
    P: mark,
    r: '0.00010000',
    T: nextFunding,
  };
}
