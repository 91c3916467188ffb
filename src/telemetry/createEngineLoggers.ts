import { join } from 'node:path';
import { multistream, pino, type Logger, type StreamEntry } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogLevel } from './logger.ts';
import { pruneLogFiles } from './pruneLogFiles.ts';
import { RollingFiles } from './rollingFiles.ts';
import { createScrubber, REDACTED, redactPaths, type SecretScrubber } from './secretScrubber.ts';

/** Where the engine's logs go and how much they keep. */
export interface EngineLoggerOptions {
  /** The log directory; undefined: no files, the root log goes to the console only. */
  readonly dir?: string | undefined;
  /** The root log's level, on the console and in its file. Default info. */
  readonly level?: LogLevel | undefined;
  /** The per-symbol files' level. Default debug. */
  readonly symbolLevel?: LogLevel | undefined;
  /** A file rolls over at this size. Default 50. */
  readonly maxSizeMB?: number | undefined;
  /** Rolled files older than this are deleted (checked at start and hourly). Default 14. */
  readonly maxAgeDays?: number | undefined;
  /** Human-readable console lines instead of JSON; default: when the console is a terminal. */
  readonly pretty?: boolean | undefined;
  /** Where the root log is printed. Default standard error (standard output is for results). */
  readonly console?: ConsoleStream | undefined;
  /** Values scrubbed from every line wherever they appear: API key, secret, tokens. */
  readonly secrets?: readonly (string | undefined)[] | undefined;
  /** Per-symbol files open at once (least recently written closed first). Default 32. */
  readonly maxOpenFiles?: number | undefined;
  /** Rolled files kept per log besides the current one. Default 20. */
  readonly maxFiles?: number | undefined;
  /** The clock that ages files. Default Date.now. */
  readonly now?: (() => number) | undefined;
}

/** A console the root log prints to: standard error, or any stream in tests. */
export interface ConsoleStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** The engine's loggers. */
export interface EngineLoggers {
  /** The root log: the engine's own lines, and every symbol's lines at the root's level. */
  readonly root: Logger;
  /** Returns a logger whose every line (from debug) goes to the symbol's own file, and to the root log at its level. */
  forSymbol(symbol: string): Logger;
  /** The scrubber every line goes through; `scrub.add` teaches it a secret learnt later. */
  readonly scrub: SecretScrubber;
  /** Resolves when every line logged so far has reached its file. */
  flush(): Promise<void>;
  /** Deletes rolled files older than `maxAgeDays`; resolves to how many went. */
  prune(): Promise<number>;
  /** Resolves when every file is flushed and closed; the loggers write nowhere after. */
  close(): Promise<void>;
}

/** The defaults of {@link EngineLoggerOptions}. */
export const ENGINE_LOG_DEFAULTS = {
  level: 'info',
  symbolLevel: 'debug',
  maxSizeMB: 50,
  maxAgeDays: 14,
  maxOpenFiles: 32,
  maxFiles: 20,
} as const;

const DAY_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
// A disk that refuses every write would otherwise print one complaint per log line.
const MAX_REPORTED_ERRORS = 10;

const ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const moreVerbose = (a: LogLevel, b: LogLevel): LogLevel =>
  ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;

interface LineSink {
  write(line: string): void;
}

/**
 * Returns the engine's loggers: a root log on the console (pretty on a terminal, JSON lines
 * otherwise) and in `<dir>/ratchet/`, and one debug file per symbol in `<dir>/symbols/<symbol>/`,
 * each rolled daily and by size; secrets are redacted by key path (apiKey, secret, signature,
 * listenKey, token, … at any of the first five levels) and every line is scrubbed of the
 * given secret values and of query-string, header and bot-token shaped secrets.
 */
export function createEngineLoggers(options: EngineLoggerOptions = {}): EngineLoggers {
  const level = options.level ?? ENGINE_LOG_DEFAULTS.level;
  const symbolLevel = options.symbolLevel ?? ENGINE_LOG_DEFAULTS.symbolLevel;
  const out: ConsoleStream = options.console ?? process.stderr;
  const scrub = createScrubber(options.secrets ?? []);
  const pretty = options.pretty ?? out.isTTY === true;
  const prettify = pretty
    ? prettyFactory({ colorize: out.isTTY === true, ignore: 'pid,hostname' })
    : undefined;
  const consoleSink: LineSink = {
    write: (line) => {
      const clean = scrub(line);
      out.write(prettify === undefined ? clean : prettify(clean));
    },
  };

  let reported = 0;
  const onError = (name: string, error: Error) => {
    if (reported >= MAX_REPORTED_ERRORS) return;
    reported += 1;
    consoleSink.write(
      `${JSON.stringify({ level: 50, time: Date.now(), log: name, err: error.message, msg: 'log file failed: its lines are lost' })}\n`,
    );
  };

  const dir = options.dir;
  const fileOptions = {
    maxSizeMB: options.maxSizeMB ?? ENGINE_LOG_DEFAULTS.maxSizeMB,
    maxFiles: options.maxFiles ?? ENGINE_LOG_DEFAULTS.maxFiles,
    onError,
  };
  const rootFiles =
    dir === undefined ? undefined : new RollingFiles(dir, { ...fileOptions, maxOpen: 1 });
  const symbolFiles =
    dir === undefined
      ? undefined
      : new RollingFiles(join(dir, 'symbols'), {
          ...fileOptions,
          maxOpen: options.maxOpenFiles ?? ENGINE_LOG_DEFAULTS.maxOpenFiles,
        });

  const rootStreams: StreamEntry[] = [];
  if (level !== 'silent') {
    rootStreams.push({ level: level, stream: consoleSink });
    if (rootFiles !== undefined)
      rootStreams.push({
        level: level,
        stream: { write: (line: string) => rootFiles.write('ratchet', scrub(line)) },
      });
  }
  const loggerOptions = (min: LogLevel) => ({
    level: min,
    redact: { paths: redactPaths(), censor: REDACTED },
  });
  const root = pino(loggerOptions(level), multistream(rootStreams));

  const forSymbol = (symbol: string): Logger => {
    if (symbolFiles === undefined || symbolLevel === 'silent') return root.child({ symbol });
    const streams: StreamEntry[] = [
      {
        level: symbolLevel,
        stream: { write: (line: string) => symbolFiles.write(symbol, scrub(line)) },
      },
      ...rootStreams,
    ];
    return pino(loggerOptions(moreVerbose(level, symbolLevel)), multistream(streams)).child({
      symbol,
    });
  };

  const now = options.now ?? Date.now;
  const maxAgeMs = (options.maxAgeDays ?? ENGINE_LOG_DEFAULTS.maxAgeDays) * DAY_MS;
  const prune = async (): Promise<number> =>
    dir === undefined
      ? 0
      : pruneLogFiles(dir, {
          maxAgeMs,
          now: now(),
          keep: new Set([
            ...(rootFiles?.currentFiles() ?? []),
            ...(symbolFiles?.currentFiles() ?? []),
          ]),
        });
  const pruneQuietly = () => {
    prune().catch((error: unknown) => onError('prune', error as Error));
  };
  let timer: NodeJS.Timeout | undefined;
  if (dir !== undefined) {
    pruneQuietly();
    timer = setInterval(pruneQuietly, PRUNE_EVERY_MS);
    // Pruning must never keep the process alive on its own.
    timer.unref();
  }

  return {
    root,
    forSymbol,
    scrub,
    prune,
    flush: async () => {
      await Promise.all([rootFiles?.flush(), symbolFiles?.flush()]);
    },
    close: async () => {
      clearInterval(timer);
      await Promise.all([rootFiles?.close(), symbolFiles?.close()]);
    },
  };
}
