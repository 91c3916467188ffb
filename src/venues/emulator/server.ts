import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from 'decimal.js';
import { handleAdmin, type AdminDeps } from './admin.ts';
import type { AdminState, PositionView } from './adminState.ts';
import type { Credentials } from './auth.ts';
import { systemClock, type Clock } from './clock.ts';
import { EmulatedExchange } from './exchange.ts';
import type { ExchangeState } from './exchangeState.ts';
import { FaultInjector, faultsSchema, type FaultsInput } from './faults.ts';
import { parseBinanceCsv, symbolFromFileName } from './feeds/csv.ts';
import { replayFeed } from './feeds/replay.ts';
import { syntheticFeed } from './feeds/synthetic.ts';
import type { PriceFeed } from './feeds/types.ts';
import { ListenKeys } from './listenKeys.ts';
import { symbolSpec, type SymbolSpec } from './markets.ts';
import { createRandom } from './random.ts';
import { WeightLimiter } from './rateLimiter.ts';
import { RequestCounter } from './requestCounter.ts';
import { createRestHandler } from './restServer.ts';
import type { Retention } from './retention.ts';
import { StreamServer } from './streamServer.ts';
import { createBybitRestHandler } from './bybit/bybitRestHandler.ts';
import { BybitRateLimiter } from './bybit/bybitRateLimiter.ts';
import { BybitStreamServer } from './bybit/bybitStreamServer.ts';
import { createLogger } from '../../telemetry/logger.ts';

/** Where prices come from: nothing (tests move them), a seeded random walk, or a Binance CSV. */
export type FeedOption =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'synthetic';
      readonly seed?: number;
      readonly ticksPerSecond?: number;
      readonly speed?: number;
    }
  | {
      readonly kind: 'csv';
      readonly path: string;
      readonly speed?: number;
      readonly symbol?: string;
    };

/** The wire formats the emulator speaks: both are always served, over one exchange. */
export type EmulatorVenue = 'binance' | 'bybit';

/** Options of startEmulator; every field has a default. */
export interface EmulatorOptions {
  /** The wire format `ratchet exchange` advertises (default binance); both are served anyway. */
  readonly venue?: EmulatorVenue;
  /** Bybit's per-IP limit: requests to `/v5/*` per 5 s before HTTP 403 (default 600). */
  readonly bybitIpLimit?: number;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to bind; default 127.0.0.1. */
  readonly host?: string;
  readonly apiKey?: string;
  readonly secret?: string;
  /** Listed symbols; default BTCUSDT and ETHUSDT. */
  readonly symbols?: readonly string[];
  /** Start prices overriding the specs' defaults, e.g. `{ BTCUSDT: "65000" }`. */
  readonly startPrices?: Readonly<Record<string, string>>;
  /** Default `{ kind: 'none' }`: prices move only through `/admin/price` or `setPrice`. */
  readonly feed?: FeedOption;
  /** Seed of the fault injector's coin flips (and the synthetic feed's default seed). */
  readonly seed?: number;
  readonly clock?: Clock;
  /** REQUEST_WEIGHT per minute before 429; default 2400 as on Binance USDⓈ-M. */
  readonly weightLimit?: number;
  readonly markPriceIntervalMs?: number;
  /** How many finished orders, fills and closed protection records to keep (default 1000 each). */
  readonly retention?: Partial<Retention>;
  /** Open conditional orders the account may hold before -4045; default 200 as on Binance. */
  readonly maxOpenAlgoOrders?: number;
  /** A saved account to start from, as a paper run's restart does (EmulatedExchange.restoreState). */
  readonly restore?: ExchangeState;
  /** Receives unexpected errors (bugs); default writes them to stderr. */
  readonly onError?: (err: unknown) => void;
}

/** A running emulator. */
export interface Emulator {
  /** The wire format it advertises (both are served). */
  readonly venue: EmulatorVenue;
  /** Base URL of the REST API, e.g. `http://127.0.0.1:8787` (Binance under /fapi, Bybit under /v5). */
  readonly restUrl: string;
  /** Base URL ccxt's `urls.api.ws.future` takes, e.g. `ws://127.0.0.1:8787/ws`. */
  readonly wsUrl: string;
  /** Base of Bybit's WebSocket paths, e.g. `ws://127.0.0.1:8787` (`/v5/public/linear`, `/v5/private`). */
  readonly bybitWsUrl: string;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string;
  readonly secret: string;
  readonly exchange: EmulatedExchange;
  readonly streams: StreamServer;
  /** The Bybit v5 WebSocket server; `whenSubscribed(topic)` as for Binance's streams. */
  readonly bybitStreams: BybitStreamServer;
  readonly counter: RequestCounter;
  /**
   * Resolves once the feed has delivered its last tick: at once with no feed, after the last
   * row of a CSV replay, and when the emulator closes for the endless synthetic feed.
   */
  readonly feedEnded: Promise<void>;
  /** Moves the last (and mark) price now, as `POST /admin/price` does. */
  setPrice(symbol: string, price: string, markPrice?: string): void;
  /**
   * Trades `quantity` at the current price in direction `side`, as `POST /admin/positions` does:
   * opens or adds to a position, or reduces, closes or flips the opposite one.
   */
  openPosition(symbol: string, side: 'long' | 'short', quantity: string): PositionView;
  /**
   * Closes `quantity` (default: all) of the open position elsewhere than through the API, as
   * `POST /admin/positions` with the opposite side and `reduceOnly: true` does; its stops stay.
   * Throws when the symbol is flat.
   */
  closePosition(symbol: string, quantity?: string): PositionView;
  /** Applies faults, as `POST /admin/faults` does. */
  injectFaults(faults: FaultsInput): void;
  /** Returns the `GET /admin/state` body. */
  state(): AdminState;
  /** Stops the feed and closes every connection and the listener. */
  close(): Promise<void>;
}

/** The body `POST /admin/positions` answers. */
interface AdminPosition {
  readonly position: PositionView;
}

function key(): string {
  return randomBytes(48)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 64);
}

function makeFeed(
  opt: FeedOption,
  specs: readonly SymbolSpec[],
  seed: number,
  onEnd: () => void,
): PriceFeed | undefined {
  switch (opt.kind) {
    case 'none':
      return undefined;
    case 'synthetic':
      return syntheticFeed({
        seed: opt.seed ?? seed,
        specs,
        ...(opt.ticksPerSecond === undefined ? {} : { ticksPerSecond: opt.ticksPerSecond }),
        ...(opt.speed === undefined ? {} : { speed: opt.speed }),
      });
    case 'csv': {
      const symbol = opt.symbol ?? symbolFromFileName(opt.path) ?? specs[0]?.symbol ?? 'BTCUSDT';
      const { ticks } = parseBinanceCsv(readFileSync(opt.path, 'utf8'), symbol, opt.path);
      return replayFeed(ticks, opt.speed ?? 1, onEnd);
    }
  }
}

/**
 * Starts an exchange on `host:port` that speaks Binance USDⓈ-M's and Bybit v5's (linear) wire
 * formats over one account, and resolves once it listens.
 * Throws on a bad symbol, an unreadable CSV, or a port that cannot be bound.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = options.clock ?? systemClock;
  const seed = options.seed ?? 1;
  const feedOption = options.feed ?? { kind: 'none' };
  // A replayed file names its own symbol; list it unless the caller chose the symbols.
  const csvSymbol =
    feedOption.kind === 'csv'
      ? (feedOption.symbol ?? symbolFromFileName(feedOption.path))
      : undefined;
  const symbols =
    options.symbols ?? (csvSymbol !== undefined ? [csvSymbol] : ['BTCUSDT', 'ETHUSDT']);
  const specs = symbols.map((s) => {
    const spec = symbolSpec(s);
    const start = options.startPrices?.[s];
    return start === undefined ? spec : { ...spec, startPrice: start };
  });
  const feedStatus: { kind: FeedOption['kind']; ticks: number; ended: boolean } = {
    kind: feedOption.kind,
    ticks: 0,
    ended: feedOption.kind === 'none',
  };
  let feedEnd = (): void => undefined;
  const feedEnded = new Promise<void>((resolve) => {
    feedEnd = () => {
      feedStatus.ended = true;
      resolve();
    };
  });
  if (feedStatus.ended) feedEnd();
  const feed = makeFeed(feedOption, specs, seed, () => feedEnd());
  const exchange = new EmulatedExchange(specs, clock, {
    ...(options.retention === undefined ? {} : { retention: options.retention }),
    ...(options.maxOpenAlgoOrders === undefined
      ? {}
      : { maxOpenAlgoOrders: options.maxOpenAlgoOrders }),
  });
  if (options.restore !== undefined) exchange.restoreState(options.restore);
  const credentials: Credentials = {
    apiKey: options.apiKey ?? key(),
    secret: options.secret ?? key(),
  };
  const faults = new FaultInjector(createRandom(seed ^ 0x5eed));
  const listenKeys = new ListenKeys();
  const streams = new StreamServer(exchange, listenKeys, {
    isFrozen: (symbol) => faults.isFrozen(symbol),
    ...(options.markPriceIntervalMs === undefined
      ? {}
      : { markPriceIntervalMs: options.markPriceIntervalMs }),
  });
  const bybitStreams = new BybitStreamServer(exchange, credentials, {
    isFrozen: (symbol) => faults.isFrozen(symbol),
  });
  const disconnectAll = (): number => streams.disconnectAll() + bybitStreams.disconnectAll();
  const admin: AdminDeps = {
    exchange,
    faults,
    feed: () => ({ ...feedStatus }),
    disconnectWebSockets: disconnectAll,
  };
  const counter = new RequestCounter();
  const onError =
    options.onError ??
    ((e: unknown) =>
      createLogger('exchange-emulator').error({ err: e }, 'unexpected emulator error'));
  const limiter = new WeightLimiter(options.weightLimit ?? 2400, () => clock.now());
  const binanceRest = createRestHandler({
    admin,
    listenKeys,
    faults,
    limiter,
    credentials,
    counter,
    onError,
  });
  const bybitRest = createBybitRestHandler({
    exchange,
    faults,
    limiter: new BybitRateLimiter(() => clock.now(), options.bybitIpLimit),
    credentials,
    counter,
    onError,
  });
  const isBybit = (url: string | undefined): boolean => (url ?? '').startsWith('/v5/');
  const server: Server = createServer((req, res) =>
    isBybit(req.url) ? bybitRest(req, res) : binanceRest(req, res),
  );
  server.on('upgrade', (req, socket, head: Buffer) =>
    isBybit(req.url)
      ? bybitStreams.handleUpgrade(req, socket, head)
      : streams.handleUpgrade(req, socket, head),
  );
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  feed?.start((t) => {
    feedStatus.ticks += 1;
    exchange.trade(t.symbol, t.price, t.qty, t.mark, t.isBuyerMaker);
  });
  const adminCall = (method: string, path: string, body: unknown): unknown => {
    const reply = handleAdmin(admin, method, path, body);
    if (reply === undefined || reply.status !== 200) throw new Error(JSON.stringify(reply?.body));
    return reply.body;
  };
  let closed: Promise<void> | undefined;
  return {
    venue: options.venue ?? 'binance',
    restUrl: `http://${urlHost}:${port}`,
    wsUrl: `ws://${urlHost}:${port}/ws`,
    bybitWsUrl: `ws://${urlHost}:${port}`,
    host,
    port,
    apiKey: credentials.apiKey,
    secret: credentials.secret,
    exchange,
    streams,
    bybitStreams,
    counter,
    feedEnded,
    setPrice(symbol, price, markPrice) {
      exchange.trade(
        symbol,
        new Decimal(price),
        new Decimal(0),
        markPrice === undefined ? undefined : new Decimal(markPrice),
      );
    },
    openPosition(symbol, side, quantity) {
      return (adminCall('POST', '/admin/positions', { symbol, side, quantity }) as AdminPosition)
        .position;
    },
    closePosition(symbol, quantity) {
      const amount = exchange.position(exchange.book(symbol).spec.symbol).amount;
      const side = amount.isNeg() ? 'long' : 'short';
      const body = {
        symbol,
        side,
        reduceOnly: true,
        ...(quantity === undefined ? {} : { quantity }),
      };
      return (adminCall('POST', '/admin/positions', body) as AdminPosition).position;
    },
    injectFaults(f) {
      const parsed = faultsSchema.parse(f);
      faults.apply(parsed);
      if (parsed.wsDisconnect === true) disconnectAll();
    },
    state() {
      return adminCall('GET', '/admin/state', {}) as AdminState;
    },
    close() {
      closed ??= (async () => {
        feed?.stop();
        feedEnd();
        await streams.close();
        await bybitStreams.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closed;
    },
  };
}
