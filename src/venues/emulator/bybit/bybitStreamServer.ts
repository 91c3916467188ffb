import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Credentials } from '../auth.ts';
import type { AccountChange, EmulatedExchange, TradeTick } from '../exchange.ts';
import { formatTo } from '../markets.ts';
import { checkBybitWsAuth } from './bybitAuth.ts';
import { bybitExecId } from './bybitIds.ts';
import {
  executionJson,
  marketOrderJson,
  positionJson,
  stopOrderJson,
  tickerJson,
} from './bybitWire.ts';

/** One WebSocket client. */
interface Conn {
  readonly ws: WebSocket;
  readonly id: string;
  readonly isPrivate: boolean;
  authenticated: boolean;
  readonly topics: Set<string>;
}

/** A caller waiting for a connection that passes `test`. */
interface Waiter {
  readonly test: (c: Conn) => boolean;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** The paths ccxt's `bybit` dials for linear public data and for the private stream. */
const PUBLIC_PATH = '/v5/public/linear';
const PRIVATE_PATH = '/v5/private';
const PUBLIC_TOPIC = /^(tickers|publicTrade)\.([A-Z0-9]+)$/;
const PRIVATE_TOPICS = new Set(['position', 'order', 'execution']);

/** Options of a Bybit stream server. */
export interface BybitStreamOptions {
  /** Whether `symbol`'s public messages are held back (an injected frozen feed); never by default. */
  readonly isFrozen?: (symbol: string) => boolean;
}

/**
 * Serves Bybit v5's WebSocket streams over the shared exchange: `tickers.<symbol>` and
 * `publicTrade.<symbol>` on `/v5/public/linear`; `position`, `order` and `execution` on
 * `/v5/private` after the `auth` op; `subscribe`, `unsubscribe` and `ping` answered as Bybit does.
 */
export class BybitStreamServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  private readonly waiters = new Set<Waiter>();
  private readonly unsubscribe: () => void;
  private readonly isFrozen: (symbol: string) => boolean;
  private nextConn = 1;
  private nextMessage = 1;

  /** Returns a server publishing `exchange`'s trades and account changes to its clients. */
  constructor(
    private readonly exchange: EmulatedExchange,
    private readonly credentials: Credentials,
    options: BybitStreamOptions = {},
  ) {
    this.isFrozen = options.isFrozen ?? (() => false);
    this.unsubscribe = exchange.subscribe({
      trade: (tick) => this.onTrade(tick),
      account: (change) => this.onAccount(change),
    });
  }

  /** Handles an HTTP upgrade under `/v5/`; answers 404 for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'ws://emulator').pathname.replace(/\/+$/, '');
    if (path !== PUBLIC_PATH && path !== PRIVATE_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Conn = {
        ws,
        id: `emu-${this.nextConn++}`,
        isPrivate: path === PRIVATE_PATH,
        authenticated: false,
        topics: new Set(),
      };
      this.conns.add(conn);
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
   * Resolves once a connection is subscribed to `topic` (`tickers.BTCUSDT`, `position`, …), at
   * once if one already is: from then on that client receives what is published (a private topic
   * is only ever subscribed on an authenticated connection). Rejects when the server closes first.
   */
  whenSubscribed(topic: string): Promise<void> {
    for (const c of this.conns) if (c.topics.has(topic)) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.waiters.add({ test: (c) => c.topics.has(topic), resolve, reject }),
    );
  }

  /** Stops publishing and closes every connection and the server. */
  async close(): Promise<void> {
    for (const w of this.waiters) w.reject(new Error('the stream server closed'));
    this.waiters.clear();
    this.unsubscribe();
    this.disconnectAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(conn: Conn, text: string): void {
    let msg: { op?: unknown; args?: unknown; req_id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      this.reply(conn, { success: false, ret_msg: 'Invalid JSON', op: '' });
      return;
    }
    const reqId =
      typeof msg.req_id === 'string' || typeof msg.req_id === 'number' ? msg.req_id : undefined;
    const args = Array.isArray(msg.args) ? (msg.args as unknown[]) : [];
    const op = typeof msg.op === 'string' ? msg.op : '';
    const answer = (success: boolean, retMsg: string, extra: Record<string, unknown> = {}) =>
      this.reply(conn, {
        success,
        ret_msg: retMsg,
        conn_id: conn.id,
        ...(reqId === undefined ? {} : { req_id: reqId }),
        op,
        ...extra,
      });
    switch (op) {
      case 'ping':
        if (conn.isPrivate)
          this.reply(conn, {
            ...(reqId === undefined ? {} : { req_id: reqId }),
            op: 'pong',
            args: [String(this.exchange.clock.now())],
            conn_id: conn.id,
          });
        else answer(true, 'pong');
        return;
      case 'auth': {
        if (!conn.isPrivate) return answer(false, 'auth is for the private stream');
        conn.authenticated = checkBybitWsAuth(args, this.credentials, this.exchange.clock.now());
        answer(conn.authenticated, conn.authenticated ? '' : 'Request not authorized');
        return;
      }
      case 'subscribe':
      case 'unsubscribe': {
        const topics = args.filter((a): a is string => typeof a === 'string');
        const bad = topics.find((t) => !this.valid(conn, t));
        if (conn.isPrivate && !conn.authenticated) return answer(false, 'Request not authorized');
        if (bad !== undefined || topics.length === 0)
          return answer(false, `error:handler not found,topic:${bad ?? ''}`);
        for (const t of topics) {
          if (op === 'subscribe') conn.topics.add(t);
          else conn.topics.delete(t);
        }
        answer(true, '');
        if (op === 'subscribe') this.wake(conn);
        return;
      }
      default:
        answer(false, `error:unknown op ${op}`);
    }
  }

  private valid(conn: Conn, topic: string): boolean {
    if (conn.isPrivate) return PRIVATE_TOPICS.has(topic);
    const m = PUBLIC_TOPIC.exec(topic);
    return m?.[2] !== undefined && this.exchange.specs().some((s) => s.symbol === m[2]);
  }

  private wake(conn: Conn): void {
    for (const w of this.waiters) {
      if (!w.test(conn)) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private onTrade(tick: TradeTick): void {
    // Dropped, not queued: once thawed, the next trade tells the price of then, as on Binance.
    if (this.isFrozen(tick.symbol)) return;
    const trades = `publicTrade.${tick.symbol}`;
    const tickers = `tickers.${tick.symbol}`;
    const spec = this.exchange.book(tick.symbol).spec;
    this.publish(trades, () => ({
      topic: trades,
      type: 'snapshot',
      ts: tick.time,
      data: [
        {
          T: tick.time,
          s: tick.symbol,
          S: tick.isBuyerMaker ? 'Sell' : 'Buy',
          v: tick.qty.toString(),
          p: formatTo(tick.price, spec.tickSize),
          L: 'PlusTick',
          i: bybitExecId(tick.tradeId),
          BT: false,
        },
      ],
    }));
    this.publish(tickers, () => ({
      topic: tickers,
      type: 'snapshot',
      data: tickerJson(this.exchange, tick.symbol, tick.time),
      cs: tick.tradeId,
      ts: tick.time,
    }));
  }

  private onAccount(change: AccountChange): void {
    const ex = this.exchange;
    switch (change.kind) {
      case 'order': {
        const o = change.order;
        this.privately('order', () => [marketOrderJson(o, change.fill === undefined)]);
        const fill = change.fill;
        if (fill !== undefined)
          this.privately('execution', () => [
            executionJson(
              o,
              fill,
              formatTo(ex.book(o.symbol).mark, ex.book(o.symbol).spec.tickSize),
            ),
          ]);
        return;
      }
      case 'position':
        this.privately('position', () => [positionJson(ex, change.symbol, true)]);
        return;
      case 'positionStop': {
        const { stop, status } = change;
        const wire =
          status === 'set' ? 'Untriggered' : status === 'triggered' ? 'Triggered' : 'Deactivated';
        this.privately('order', () => [stopOrderJson(stop, wire)]);
        if (status !== 'triggered')
          this.privately('position', () => [positionJson(ex, stop.symbol, true)]);
        return;
      }
    }
  }

  /** Sends to every authenticated connection subscribed to a private `topic`. */
  private privately(topic: string, rows: () => unknown[]): void {
    this.publish(topic, () => ({
      id: `emu-${this.nextMessage++}`,
      topic,
      creationTime: this.exchange.clock.now(),
      data: rows(),
    }));
  }

  /** Sends to every connection subscribed to `topic`, building the payload at most once. */
  private publish(topic: string, build: () => unknown): void {
    let text: string | undefined;
    for (const c of this.conns) {
      if (!c.topics.has(topic) || c.ws.readyState !== c.ws.OPEN) continue;
      text ??= JSON.stringify(build());
      c.ws.send(text);
    }
  }

  private reply(conn: Conn, body: Record<string, unknown>): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(body));
  }
}
