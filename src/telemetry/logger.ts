import { destination, pino, type DestinationStream, type Logger } from 'pino';

/** The levels a logger accepts, most verbose first. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where and how much a logger writes. */
export interface LoggerOptions {
  /** Default: `RATCHET_LOG_LEVEL`, else `info`. */
  readonly level?: LogLevel;
  /** Default: standard error — standard output belongs to the commands' own results. */
  readonly destination?: DestinationStream;
}

function levelFromEnvironment(): LogLevel {
  const wanted = process.env.RATCHET_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as LogLevel) : 'info';
}

/**
 * Returns a pino logger for one component (`name` appears on every line as `component`):
 * JSON lines on standard error, so a command's standard output stays machine-readable.
 */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? levelFromEnvironment(), base: { component: name } },
    options.destination ?? destination({ fd: 2, sync: true }),
  );
}
