import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** The log levels, most verbose first (pino's names). */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A log level name. */
export type LogLevelName = (typeof LEVELS)[number];

/** The validated `logs` block: where the root and per-symbol logs go and how long they stay. */
export interface LogsConfig {
  /** The log directory, absolute; undefined: `logs` inside the data directory. */
  readonly dir: string | undefined;
  /** The root log's level (the per-symbol files always log from debug). */
  readonly level: LogLevelName;
  /** A file rolls over at this size. */
  readonly maxSizeMB: number;
  /** Rolled files older than this are deleted. */
  readonly maxAgeDays: number;
  /** Human-readable console lines; undefined: when standard error is a terminal. */
  readonly pretty: boolean | undefined;
}

/** The defaults of every `logs` key. */
export const LOGS_DEFAULTS: LogsConfig = {
  dir: undefined,
  level: 'info',
  maxSizeMB: 50,
  maxAgeDays: 14,
  pretty: undefined,
};

const dirSchema = (baseDir: string) =>
  z.unknown().transform((input, ctx): string => {
    const allowed = `a directory path, relative to the config file's directory (${baseDir}) or absolute`;
    if (typeof input !== 'string' || input.length === 0) {
      refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
      return z.NEVER;
    }
    if (input.startsWith('~')) {
      refuse(ctx, input, {
        problem: `starts with "~", which is not expanded; allowed: ${allowed}, e.g. \${HOME}/ratchet/logs`,
        allowed,
      });
      return z.NEVER;
    }
    return isAbsolute(input) ? input : resolve(baseDir, input);
  });

/**
 * Returns the schema of `logs`: `dir` (relative to `baseDir`, the config file's directory;
 * default the data directory's `logs`), `level` (default info), `maxSizeMB` in (0, 10240]
 * (default 50), `maxAgeDays` an integer in [1, 3650] (default 14), `pretty` true or false
 * (default: when standard error is a terminal).
 */
export function logsSchema(baseDir: string) {
  return strictObject({
    dir: dirSchema(baseDir).optional(),
    level: z.enum(LEVELS).optional(),
    maxSizeMB: decimal({ gt: '0', le: '10240' }).transform(Number).optional(),
    maxAgeDays: decimal({ ge: '1', le: '3650', integer: true }).transform(Number).optional(),
    pretty: z.boolean().optional(),
  }).transform((o): LogsConfig => ({
    dir: o.dir ?? LOGS_DEFAULTS.dir,
    level: o.level ?? LOGS_DEFAULTS.level,
    maxSizeMB: o.maxSizeMB ?? LOGS_DEFAULTS.maxSizeMB,
    maxAgeDays: o.maxAgeDays ?? LOGS_DEFAULTS.maxAgeDays,
    pretty: o.pretty ?? LOGS_DEFAULTS.pretty,
  }));
}
