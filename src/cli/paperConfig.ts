import { dirname, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ConfigError, makeIssue, type ConfigIssue } from '../config/ConfigError.ts';
import { decimal } from '../config/decimals.ts';
import type { EngineConfig } from '../config/engineConfigSchema.ts';
import { symbolProblem } from '../config/exchangeSymbolSchema.ts';
import { refuse } from '../config/issues.ts';
import { parseEngineConfig } from '../config/loadEngineConfig.ts';
import { readConfigDocument } from '../config/readConfigFile.ts';
import { strictObject, toConfigIssues } from '../config/strictObject.ts';
import type { Side } from '../domain/types.ts';
import { symbolSpec } from '../venues/emulator/markets.ts';

/** One position a paper run opens on its exchange. */
export interface PaperPosition {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: string;
}

/** A validated paper config: the engine config it runs with, and the paper exchange's script. */
export interface PaperConfig {
  /** The engine config; its venue is a placeholder until the paper exchange listens. */
  readonly engine: EngineConfig;
  /** Seed of the synthetic price feed. */
  readonly seed: number;
  /** Feed speed: 1 is 4 ticks a second per symbol. */
  readonly speed: number;
  /** Seconds after a paper position closes before a new one opens on its symbol. */
  readonly reopenAfterSeconds: number;
  readonly positions: readonly PaperPosition[];
}

const SYMBOL_ALLOWED = 'a USDⓈ-M perpetual id such as BTCUSDT';

const symbolSchema = z.unknown().transform((input, ctx): string => {
  const problem = typeof input === 'string' ? symbolProblem(input) : undefined;
  if (typeof input === 'string' && problem === undefined && input.endsWith('USDT')) return input;
  refuse(ctx, input, problem ?? { problem: `is not ${SYMBOL_ALLOWED}`, allowed: SYMBOL_ALLOWED });
  return z.NEVER;
});

const positionSchema = strictObject({
  symbol: symbolSchema,
  side: z.enum(['long', 'short']),
  quantity: decimal({ gt: '0' }),
}).transform((p, ctx): PaperPosition => {
  const spec = symbolSpec(p.symbol);
  const quantity = new Decimal(p.quantity);
  if (!quantity.mod(spec.stepSize).isZero() || quantity.lt(spec.minQty)) {
    const allowed = `a multiple of ${spec.stepSize} of at least ${spec.minQty} (the paper exchange's ${p.symbol} lot size)`;
    refuse(ctx, p.quantity, { problem: `is not ${allowed}`, allowed }, ['quantity']);
    return z.NEVER;
  }
  return p;
});

const paperSchema = strictObject({
  seed: decimal({ ge: '0', le: '4294967295', integer: true }).transform(Number).optional(),
  speed: decimal({ gt: '0', le: '100' }).transform(Number).optional(),
  reopenAfterSeconds: decimal({ ge: '0', le: '86400' }).transform(Number).optional(),
  positions: z.array(positionSchema),
}).transform((o, ctx) => {
  if (o.positions.length === 0) {
    refuse(
      ctx,
      o.positions,
      {
        problem: 'lists no position; allowed: at least one { symbol, side, quantity }',
        allowed: 'at least one position',
        value: '[]',
      },
      ['positions'],
    );
    return z.NEVER;
  }
  o.positions.forEach((p, i) => {
    const first = o.positions.findIndex((q) => q.symbol === p.symbol);
    if (first !== i) {
      refuse(
        ctx,
        p.symbol,
        {
          problem: `is already used by positions[${first}]; allowed: one position per symbol (the exchange nets a symbol's trades into one position)`,
          allowed: 'one position per symbol',
        },
        ['positions', i, 'symbol'],
      );
    }
  });
  return ctx.issues.length > 0 ? z.NEVER : o;
});

/** Command-line choices that override the file. */
export interface PaperOverrides {
  readonly seed?: number | undefined;
  readonly speed?: number | undefined;
  /** Keep only the positions on these symbols. */
  readonly symbols?: readonly string[] | undefined;
  readonly dataDir?: string | undefined;
}

/**
 * Returns the paper config of a YAML or JSON file: an engine config (every key `ratchet run`
 * takes except `venue`, which the paper exchange provides) plus a `paper` block naming the
 * positions to open, the feed's seed and speed. A relative `dataDir` is resolved against the
 * file's directory (default `snapshots/paper` there). Throws ConfigError naming every wrong key.
 */
export async function loadPaperConfig(
  file: string,
  overrides: PaperOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<PaperConfig> {
  const document = await readConfigDocument(file);
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    throw new ConfigError(
      [
        makeIssue(
          '',
          'the document',
          'is not a mapping of keys',
          'a mapping with paper and policy',
        ),
      ],
      file,
    );
  const { paper, venue, ...rest } = document as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  if (venue !== undefined)
    issues.push(
      makeIssue(
        'venue',
        '(a venue)',
        'is not used by a paper run, which brings its own exchange; allowed: no venue key (add one when you turn this file into a `ratchet run` config and remove `paper`)',
        'no venue key',
      ),
    );
  const parsedPaper = paperSchema.safeParse(paper ?? {});
  if (!parsedPaper.success) issues.push(...toConfigIssues(parsedPaper.error, paper, ['paper']));
  const baseDir = dirname(resolve(file));
  let engine: EngineConfig | undefined;
  try {
    engine = parseEngineConfig(
      {
        ...rest,
        venue: {
          exchange: 'binanceusdm',
          url: 'http://127.0.0.1:1',
          apiKey: 'paper',
          secret: 'paper',
        },
        dataDir: rest['dataDir'] ?? 'snapshots/paper',
      },
      { env, baseDir, file },
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || engine === undefined || !parsedPaper.success)
    throw new ConfigError(issues, file);
  let positions = parsedPaper.data.positions;
  const listed = engine.symbols;
  if (listed !== undefined) {
    positions.forEach((p, i) => {
      if (!listed.includes(p.symbol))
        issues.push(
          makeIssue(
            `paper.positions[${i}].symbol`,
            p.symbol,
            `is not in symbols (${listed.join(', ')}), so the engine would leave it unprotected; allowed: a symbol listed in symbols`,
            `one of ${listed.join(', ')}`,
          ),
        );
    });
  }
  if (overrides.symbols !== undefined) {
    const known = positions.map((p) => p.symbol);
    for (const symbol of overrides.symbols) {
      if (!known.includes(symbol))
        issues.push(
          makeIssue(
            '--symbols',
            symbol,
            `has no position in paper.positions; allowed: ${known.join(', ')}`,
            known.join(', '),
          ),
        );
    }
    positions = positions.filter((p) => overrides.symbols?.includes(p.symbol));
  }
  if (issues.length > 0) throw new ConfigError(issues, file);
  return {
    engine: {
      ...engine,
      ...(overrides.dataDir === undefined ? {} : { dataDir: resolve(overrides.dataDir) }),
    },
    seed: overrides.seed ?? parsedPaper.data.seed ?? 1,
    speed: overrides.speed ?? parsedPaper.data.speed ?? 1,
    reopenAfterSeconds: parsedPaper.data.reopenAfterSeconds ?? 10,
    positions,
  };
}
