import { existsSync, readFileSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { CsvError, parseBinanceCsv } from '../venues/emulator/feeds/csv.ts';
import {
  startEmulator,
  type Emulator,
  type EmulatorVenue,
  type FeedOption,
} from '../venues/emulator/index.ts';
import { processIo, type CliIo } from './io.ts';
import { UsageError } from './usageError.ts';

/** Hooks for running the command inside a test instead of until a signal arrives. */
export interface ExchangeCommandHooks {
  /** Stops the emulator when aborted, as SIGINT/SIGTERM do. */
  readonly signal?: AbortSignal;
  /** Receives the running emulator once it listens. */
  readonly onReady?: (emulator: Emulator) => void;
}

interface RawOptions {
  venue: string;
  port: string;
  host: string;
  apiKey?: string;
  apiSecret?: string;
  seed: string;
  feed: string;
  symbols?: string;
  speed: string;
  history: string;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
const SYMBOL = /^[A-Z0-9]{2,15}USDT$/;

function integer(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`${name} ${raw} is not valid: give a whole number from ${min} to ${max}.`);
  }
  return Number(raw);
}

function feedOf(
  raw: string,
  seed: number,
  speed: number,
  symbols: string[] | undefined,
): FeedOption {
  if (raw === 'synthetic') return { kind: 'synthetic', seed, speed };
  if (raw === 'none') return { kind: 'none' };
  if (!existsSync(raw) || !statSync(raw).isFile()) {
    throw new UsageError(
      `--feed ${raw} is neither "synthetic", "none" nor a readable file: give a Binance kline or aggTrades CSV from data.binance.vision.`,
    );
  }
  const symbol = symbols?.[0];
  try {
    // Parse once up front so a malformed file is a usage error, not a crash after startup.
    parseBinanceCsv(readFileSync(raw, 'utf8'), symbol ?? 'BTCUSDT', raw);
  } catch (e) {
    if (e instanceof CsvError) throw new UsageError(`--feed: ${e.message}`);
    throw e;
  }
  return { kind: 'csv', path: raw, speed, ...(symbol === undefined ? {} : { symbol }) };
}

const VENUES: readonly EmulatorVenue[] = ['binance', 'bybit'];

/** Returns validated emulator options; throws UsageError naming the flag at fault. */
function parseOptions(o: RawOptions): Parameters<typeof startEmulator>[0] & {
  port: number;
  host: string;
  feed: FeedOption;
  venue: EmulatorVenue;
} {
  const venue = VENUES.find((v) => v === o.venue.toLowerCase());
  if (venue === undefined) {
    throw new UsageError(
      `--venue ${o.venue} is not an emulated wire format: give binance (USDⓈ-M futures, endpoints under /fapi) or bybit (v5 linear, endpoints under /v5); the one account answers both, the flag chooses what is printed.`,
    );
  }
  const port = integer('--port', o.port, 0, 65535);
  if (!LOOPBACK.test(o.host)) {
    throw new UsageError(
      `--host ${o.host} is not a loopback address: the emulator binds only 127.0.0.1, ::1 or localhost, because its admin API moves prices and opens positions without authentication.`,
    );
  }
  if ((o.apiKey === undefined) !== (o.apiSecret === undefined)) {
    throw new UsageError(
      '--api-key and --api-secret go together: give both, or neither to have a random pair generated.',
    );
  }
  for (const [flag, v] of [
    ['--api-key', o.apiKey],
    ['--api-secret', o.apiSecret],
  ] as const) {
    if (v !== undefined && !/^[\x21-\x7e]{1,128}$/.test(v)) {
      throw new UsageError(`${flag} must be 1 to 128 printable characters without spaces.`);
    }
  }
  const seed = integer('--seed', o.seed, 0, 4294967295);
  const speed = Number(o.speed);
  if (!/^\d+(\.\d+)?$/.test(o.speed) || !(speed > 0)) {
    throw new UsageError(
      `--speed ${o.speed} is not valid: give a positive number (1 is real time, 10 ten times faster).`,
    );
  }
  let symbols: string[] | undefined;
  if (o.symbols !== undefined) {
    symbols = o.symbols.split(',').map((s) => s.trim().toUpperCase());
    const bad = symbols.filter((s) => !SYMBOL.test(s));
    if (bad.length > 0 || symbols.length === 0) {
      throw new UsageError(
        `--symbols ${o.symbols}: ${bad.join(', ') || 'nothing'} is not a USDⓈ-M perpetual symbol; give a comma-separated list such as BTCUSDT,ETHUSDT.`,
      );
    }
  }
  const feed = feedOf(o.feed, seed, speed, symbols);
  const history = integer('--history', o.history, 0, 1_000_000);
  return {
    venue,
    port,
    retention: { fills: history, orders: history, algoOrders: history, protectionRecords: history },
    host: o.host === 'localhost' ? '127.0.0.1' : o.host,
    seed,
    feed,
    ...(symbols === undefined ? {} : { symbols }),
    ...(o.apiKey === undefined ? {} : { apiKey: o.apiKey }),
    ...(o.apiSecret === undefined ? {} : { secret: o.apiSecret }),
  };
}

function waitForStop(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(why);
    };
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (signal?.aborted === true) done('abort');
    signal?.addEventListener('abort', () => done('abort'), { once: true });
  });
}

/** Prints where a client of `venue`'s wire format finds the running emulator. */
function printEndpoints(io: CliIo, em: Emulator, venue: EmulatorVenue): void {
  if (venue === 'bybit') {
    io.out('Ratchet exchange emulator (Bybit v5 linear compatible)');
    io.out(`  REST     ${em.restUrl}   (endpoints under /v5)`);
    io.out(`  WS       ${em.bybitWsUrl}/v5/public/linear   (public)`);
    io.out(`           ${em.bybitWsUrl}/v5/private   (private)`);
    return;
  }
  io.out('Ratchet exchange emulator (Binance USDⓈ-M compatible)');
  io.out(`  REST     ${em.restUrl}   (endpoints under /fapi)`);
  io.out(`  WS       ${em.wsUrl}`);
}

/**
 * Returns the `ratchet exchange` command: starts the local exchange (Binance USDⓈ-M's and Bybit
 * v5's wire formats over one account), prints the REST and WS base URLs of the `--venue` chosen
 * and the key pair, and runs until SIGINT/SIGTERM (or `hooks.signal`), then closes every
 * connection. Bad flags throw UsageError (exit 2 through the CLI's main).
 */
export function exchangeCommand(
  io: CliIo = processIo(),
  hooks: ExchangeCommandHooks = {},
): Command {
  return new Command('exchange')
    .description(
      'run a local futures exchange for ccxt, Binance USDⓈ-M or Bybit v5 compatible (tests, demos)',
    )
    .option(
      '--venue <name>',
      'wire format to advertise: binance or bybit (both are served)',
      'binance',
    )
    .option('--port <port>', 'TCP port (0 picks a free one)', '8787')
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option('--api-key <key>', 'API key the exchange accepts (random when omitted)')
    .option('--api-secret <secret>', 'HMAC secret matching --api-key')
    .option('--seed <n>', 'seed of the synthetic feed and of injected faults', '1')
    .option(
      '--feed <source>',
      '"synthetic", "none" (prices move only through /admin/price) or a Binance kline/aggTrades CSV file',
      'synthetic',
    )
    .option(
      '--symbols <list>',
      'comma-separated symbols (default BTCUSDT,ETHUSDT; a CSV names its own)',
    )
    .option('--speed <x>', 'feed speed multiplier', '1')
    .option(
      '--history <n>',
      'finished orders, fills and closed protection records kept (each kind)',
      '1000',
    )
    .action(async (raw: RawOptions) => {
      const options = parseOptions(raw);
      let em: Emulator;
      try {
        em = await startEmulator(options);
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'EADDRINUSE') {
          throw new UsageError(
            `port ${options.port} on ${options.host} is in use: choose another with --port (0 picks a free one).`,
          );
        }
        throw e;
      }
      const feed =
        options.feed.kind === 'csv'
          ? `replay of ${options.feed.path}, speed ${raw.speed}x`
          : options.feed.kind === 'synthetic'
            ? `synthetic, seed ${options.seed ?? 1}, speed ${raw.speed}x`
            : 'none: prices move only through POST /admin/price';
      // Listen for the signals before saying how to send one: a Ctrl-C (or a supervisor's
      // SIGTERM) right after the line must stop the emulator cleanly, not kill the process.
      const stopped = waitForStop(hooks.signal);
      printEndpoints(io, em, options.venue);
      io.out(`  API key  ${em.apiKey}`);
      io.out(`  secret   ${em.secret}`);
      io.out(`  admin    ${em.restUrl}/admin/state`);
      io.out(`  feed     ${feed}`);
      io.out(
        `  symbols  ${em.exchange
          .specs()
          .map((s) => s.symbol)
          .join(', ')}`,
      );
      io.out('Press Ctrl-C to stop.');
      let stopping = false;
      if (options.feed.kind === 'csv') {
        void em.feedEnded.then(() => {
          if (!stopping) io.out('Replay ended: prices now move only through POST /admin/price.');
        });
      }
      hooks.onReady?.(em);
      const why = await stopped;
      stopping = true;
      await em.close();
      io.out(`Exchange emulator stopped (${why}).`);
    });
}
