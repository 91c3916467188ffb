import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EmulatedExchange } from './exchange.ts';
import type { ListenKeys } from './listenKeys.ts';
import {
  bookTickerEvent,
  markPriceEvent,
  miniTickerEvent,
  tickerEvent,
  tradeEvents,
} from './marketEvents.ts';

/** One WebSocket client. */
interface Conn {
  readonly ws: WebSocket;
  readonly streams: Set<string>;
  /** Combined-stream connections (`/stream`) wrap each payload as `{ stream, data }`. */
  readonly combined: boolean;
  readonly listenKey: string | undefined;
}

/** A caller waiting for a connection that passes `test`. */
interface Waiter {
  readonly test: (c: Conn) => boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Options of the stream server. */
export interface StreamServerOptions {
  /** Period of the `@markPrice@1s` streams; `@markPrice` ones push every third period. */
  readonly markPriceIntervalMs?: number;
  /** Whether `symbol`'s market payloads are held back (an injected frozen feed). */
  readonly isFrozen?: (symbol: string) => boolean;
}

const MARKET_PATH = /^\/(?:(?:public|market)\/)?(?:ws|stream)(?:\/(.*))?$/;
const PRIVATE_PATH = /^\/private\/ws\/?$/;

/**
 * Serves Binance's futures WebSocket streams on the paths ccxt dials (`/public/ws/<n>`,
 * `/market/ws/<n>`, `/private/ws?listenKey=…`, and the classic `/ws/<stream>`), with the
 * SUBSCRIBE protocol, market payloads on every trade, mark prices on a timer, and the account's
 * user-data events on private connections.
 */
export class StreamServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  /** Pending whenSubscribed/whenUserStreamOpen calls; each leaves when it resolves or on close. */
  private readonly waiters = new Set<Waiter>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private ticks = 0;
  private readonly isFrozen: (symbol: string) => boolean;

  /** Returns a server publishing `exchange`'s events; call close() to stop its timer. */
  constructor(
    private readonly exchange: EmulatedExchange,
    private readonly listenKeys: ListenKeys,
    options: StreamServerOptions = {},
  ) {
    this.isFrozen = options.isFrozen ?? (() => false);
    this.unsubscribe = exchange.subscribe({
      trade: (tick) => {
        const events = tradeEvents(exchange, tick);
        for (const c of this.conns)
          for (const [name, data] of events) if (c.streams.has(name)) this.send(c, name, data);
        this.publishAll('!bookTicker', () => bookTickerEvent(exchange, tick.symbol, tick.time));
        this.publishAll('!ticker@arr', () => [
          tickerEvent(
            tick.symbol,
            exchange
              .book(tick.symbol)
              .stats.json(tick.symbol, tick.time, exchange.book(tick.symbol).last),
            tick.time,
          ),
        ]);
        this.publishAll('!miniTicker@arr', () => [
          miniTickerEvent(
            tick.symbol,
            exchange
              .book(tick.symbol)
              .stats.json(tick.symbol, tick.time, exchange.book(tick.symbol).last),
            tick.time,
          ),
        ]);
      },
      user: (event) => {
        for (const c of this.conns) if (c.listenKey !== undefined) this.send(c, c.listenKey, event);
      },
    });
    listenKeys.onRevoke((key) => {
      const now = exchange.clock.now();
      for (const c of this.conns) {
        if (c.listenKey !== key) continue;
        this.send(c, key, { e: 'listenKeyExpired', E: now, listenKey: key });
        c.ws.close(1000, 'listenKey revoked');
      }
    });
    this.timer = setInterval(() => this.pushMarkPrices(), options.markPriceIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Handles an HTTP upgrade; answers 404 for paths that are not streams. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://emulator');
    const key = url.searchParams.get('listenKey');
    let listenKey: string | undefined;
    const streams = new Set<string>();
    let combined = false;
    if (PRIVATE_PATH.test(url.pathname)) {
      listenKey = key ?? '';
    } else {
      const m = MARKET_PATH.exec(url.pathname);
      if (m === null) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      combined = url.pathname.endsWith('/stream') || url.pathname.includes('/stream/');
      const tail = m[1] ?? '';
      if (this.listenKeys.isValid(tail)) listenKey = tail;
      else
        for (const s of tail.split('/')) if (s.includes('@') || s.startsWith('!')) streams.add(s);
      for (const s of (url.searchParams.get('streams') ?? '').split('/'))
        if (s !== '') streams.add(s);
    }
    if (listenKey !== undefined && !this.listenKeys.isValid(listenKey)) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = { ws, streams, combined, listenKey };
      this.conns.add(conn);
      this.wake(conn);
      ws.on('message', (raw) =>
        this.onMessage(
          conn,
          (Array.isArray(raw)
            ? Buffer.concat(raw)
            : raw instanceof ArrayBuffer
              ? Buffer.from(raw)
              : raw
          ).toString('utf8'),
        ),
      );
      ws.on('close', () => this.conns.delete(conn));
      ws.on('error', () => this.conns.delete(conn));
    });
  }

  /** Drops every connection abruptly (no close frame), as a network failure would. */
  disconnectAll(): number {
    const n = this.conns.size;
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    return n;
  }

  /** Returns the number of open connections. */
  connections(): number {
    return this.conns.size;
  }

  /**
   * Resolves once a connection is subscribed to `stream` (e.g. `btcusdt@ticker`), at once if one
   * already is: from then on that client receives what is published. Rejects when the server
   * closes first.
   */
  whenSubscribed(stream: string): Promise<void> {
    return this.when((c) => c.streams.has(stream));
  }

  /**
   * Resolves once a user-data connection (one with a listen key) is open, at once if one already
   * is: from then on account events reach that client. Rejects when the server closes first.
   */
  whenUserStreamOpen(): Promise<void> {
    return this.when((c) => c.listenKey !== undefined);
  }

  /** Stops the timer, closes every connection and the server. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const w of this.waiters) w.reject(new Error('the stream server closed'));
    this.waiters.clear();
    this.unsubscribe();
    this.disconnectAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(conn: Conn, text: string): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      conn.ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
      return;
    }
    const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
    const params = Array.isArray(msg.params)
      ? msg.params.filter((p): p is string => typeof p === 'string')
      : [];
    switch (msg.method) {
      case 'SUBSCRIBE':
        for (const p of params) conn.streams.add(p);
        conn.ws.send(JSON.stringify({ result: null, id }));
        this.wake(conn);
        return;
      case 'UNSUBSCRIBE':
        for (const p of params) conn.streams.delete(p);
        conn.ws.send(JSON.stringify({ result: null, id }));
        return;
      case 'LIST_SUBSCRIPTIONS':
        conn.ws.send(JSON.stringify({ result: [...conn.streams], id }));
        return;
      default:
        conn.ws.send(
          JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown method` }, id }),
        );
    }
  }

  private when(test: (c: Conn) => boolean): Promise<void> {
    for (const c of this.conns) if (test(c)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.add({ test, resolve, reject }));
  }

  private wake(conn: Conn): void {
    for (const w of this.waiters) {
      if (!w.test(conn)) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private pushMarkPrices(): void {
    this.ticks += 1;
    const now = this.exchange.clock.now();
    const symbols = this.exchange.specs().map((s) => s.symbol);
    const slow = this.ticks % 3 === 0;
    for (const s of symbols) {
      const low = s.toLowerCase();
      this.publishAll(`${low}@markPrice@1s`, () => markPriceEvent(this.exchange, s, now));
      if (slow) this.publishAll(`${low}@markPrice`, () => markPriceEvent(this.exchange, s, now));
    }
    this.publishAll('!markPrice@arr@1s', () =>
      symbols.map((s) => markPriceEvent(this.exchange, s, now)),
    );
    if (slow)
      this.publishAll('!markPrice@arr', () =>
        symbols.map((s) => markPriceEvent(this.exchange, s, now)),
      );
  }

  /** Sends to every connection subscribed to `stream`, building the payload at most once. */
  private publishAll(stream: string, build: () => unknown): void {
    let data: unknown;
    for (const c of this.conns) {
      if (!c.streams.has(stream)) continue;
      data ??= build();
      this.send(c, stream, data);
    }
  }

  private send(c: Conn, stream: string, data: unknown): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    const payload = c.listenKey === stream ? data : this.thawed(data);
    if (payload === undefined) return;
    c.ws.send(JSON.stringify(c.combined ? { stream, data: payload } : payload));
  }

  /** Returns a market payload without the frozen symbols' items; undefined when nothing is left. */
  private thawed(data: unknown): unknown {
    const frozen = (item: unknown) =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { s?: unknown }).s === 'string' &&
      this.isFrozen((item as { s: string }).s);
    if (Array.isArray(data)) {
      const kept = data.filter((item) => !frozen(item));
      return kept.length === 0 && data.length > 0 ? undefined : kept;
    }
    return frozen(data) ? undefined : data;
  }
}
