import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { Policy } from '../domain/types.ts';
import { policyRefusals } from './checkPolicyForPosition.ts';
import { alertsSchema, type AlertsConfig } from './alertsSchema.ts';
import { closestKey } from './didYouMean.ts';
import { symbolProblem, symbolsSchema } from './exchangeSymbolSchema.ts';
import { inspectorSchema, type InspectorConfig } from './inspectorSchema.ts';
import { refuse } from './issues.ts';
import { LANES_DEFAULTS, lanesSchema, type LanesConfig } from './lanesSchema.ts';
import { logsSchema, type LogsConfig } from './logsSchema.ts';
import { metricsSchema, type MetricsConfig } from './metricsSchema.ts';
import { NumberText } from './numberText.ts';
import { policySchema } from './policySchema.ts';
import {
  PROTECTION_DEFAULTS,
  protectionSchema,
  type ProtectionConfig,
} from './protectionSchema.ts';
import { riskSchema, type RiskConfig } from './riskSchema.ts';
import { strictObject } from './strictObject.ts';
import { venueSchema, type VenueConfig } from './venueSchema.ts';

/** The validated configuration of `ratchet run`, every default filled in. */
export interface EngineConfig {
  readonly venue: VenueConfig;
  /** The policy of every position whose symbol has no entry in `policies`. */
  readonly policy: Policy;
  /** Whole policies by exchange symbol id, each replacing `policy` for that symbol. */
  readonly policies: Readonly<Record<string, Policy>>;
  /** Only positions on these symbols are protected; undefined: every position on the account. */
  readonly symbols: readonly string[] | undefined;
  readonly protection: ProtectionConfig;
  readonly lanes: LanesConfig;
  /** The data directory, absolute (a relative `dataDir` is resolved against the config file's directory). */
  readonly dataDir: string;
  /** Where the live inspector page is served; undefined: not served. */
  readonly inspector: InspectorConfig | undefined;
  /** The prefix of every client order id the engine sends; orders without it are not ours. */
  readonly clientIdPrefix: string;
  /** Where Prometheus scrapes `/metrics`; undefined: not served. */
  readonly metrics?: MetricsConfig | undefined;
  /** Where alerts are sent; undefined: only logged. */
  readonly alerts?: AlertsConfig | undefined;
  /** The log files; undefined: LOGS_DEFAULTS (in the data directory's `logs`). */
  readonly logs?: LogsConfig | undefined;
  /** The drawdown breaker; undefined: none. */
  readonly risk?: RiskConfig | undefined;
}

/** The data directory when the config names none, relative to the config file's directory. */
const DEFAULT_ENGINE_DATA_DIR = 'snapshots';

/** The client order id prefix when the config names none. */
const DEFAULT_CLIENT_ID_PREFIX = 'rtch';

const CLIENT_ID_PREFIX = /^[A-Za-z0-9]{1,8}$/;

// Entries are never checked against a position's side here, and a long is always possible: a
// percent distance of 100 or more would put a long's stop at or below zero.
const LONG = { side: 'long', entryPrice: '1', quantity: '1', openedAt: 0 } as const;

/** A policy as the engine uses it: the SPEC's policy, with the limits any long position imposes. */
const enginePolicySchema = policySchema.transform((policy, ctx): Policy => {
  // Price stops are checked against each position's entry when the engine meets the position.
  const percentRefusals = policyRefusals(policy, LONG).filter((r) => r.path.at(-1) === 'percent');
  for (const r of percentRefusals) {
    refuse(ctx, r.params.value, r.params, r.path);
  }
  return percentRefusals.length > 0 ? z.NEVER : policy;
});

const policiesSchema = z
  .record(z.string(), enginePolicySchema)
  .transform((policies, ctx): Readonly<Record<string, Policy>> => {
    for (const symbol of Object.keys(policies)) {
      const problem = symbolProblem(symbol);
      if (problem !== undefined) {
        refuse(ctx, symbol, { ...problem, value: JSON.stringify(symbol) }, [symbol]);
      }
    }
    return ctx.issues.length > 0 ? z.NEVER : policies;
  });

const clientIdPrefixSchema = z.unknown().transform((input, ctx): string => {
  const text = input instanceof NumberText ? input.text : input;
  if (typeof text === 'string' && CLIENT_ID_PREFIX.test(text)) return text;
  const allowed = '1 to 8 letters or digits ([A-Za-z0-9]{1,8}), e.g. rt1';
  refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
  return z.NEVER;
});

const dataDirSchema = (baseDir: string) =>
  z.unknown().transform((input, ctx): string => {
    const allowed = `a directory path, relative to the config file's directory (${baseDir}) or absolute`;
    if (typeof input !== 'string' || input.length === 0) {
      refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
      return z.NEVER;
    }
    if (input.startsWith('~')) {
      refuse(ctx, input, {
        problem: `starts with "~", which is not expanded; allowed: ${allowed}, e.g. \${HOME}/ratchet`,
        allowed,
      });
      return z.NEVER;
    }
    return isAbsolute(input) ? input : resolve(baseDir, input);
  });

/**
 * Returns the schema of an engine configuration document (after `${NAME}` expansion); a relative
 * `dataDir` (default `snapshots`) is resolved against `baseDir`, the config file's directory.
 * Outputs {@link EngineConfig} with every default filled in.
 */
export function engineConfigSchema(baseDir: string) {
  const dataDir = dataDirSchema(baseDir);
  return strictObject({
    venue: venueSchema,
    policy: enginePolicySchema,
    policies: policiesSchema.optional(),
    symbols: symbolsSchema.optional(),
    protection: protectionSchema.optional(),
    lanes: lanesSchema.optional(),
    dataDir: dataDir.optional(),
    inspector: inspectorSchema.optional(),
    clientIdPrefix: clientIdPrefixSchema.optional(),
    metrics: metricsSchema.optional(),
    alerts: alertsSchema.optional(),
    logs: logsSchema(baseDir).optional(),
    risk: riskSchema.optional(),
  }).transform((o, ctx): EngineConfig => {
    const policies = o.policies ?? {};
    if (o.symbols !== undefined) {
      const symbols = o.symbols;
      for (const symbol of Object.keys(policies).filter((s) => !symbols.includes(s))) {
        const guess = closestKey(symbol, symbols);
        const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
        refuse(
          ctx,
          symbol,
          {
            problem: `is not in symbols (${symbols.join(', ')}), so this policy would never be used${hint}; allowed: a symbol listed in symbols (add it there, or remove this policy)`,
            allowed: `one of ${symbols.join(', ')}`,
            value: JSON.stringify(symbol),
          },
          ['policies', symbol],
        );
      }
      if (ctx.issues.length > 0) return z.NEVER;
    }
    return {
      venue: o.venue,
      policy: o.policy,
      policies,
      symbols: o.symbols,
      protection: o.protection ?? PROTECTION_DEFAULTS,
      lanes: o.lanes ?? LANES_DEFAULTS,
      dataDir: o.dataDir ?? resolve(baseDir, DEFAULT_ENGINE_DATA_DIR),
      inspector: o.inspector,
      clientIdPrefix: o.clientIdPrefix ?? DEFAULT_CLIENT_ID_PREFIX,
      metrics: o.metrics,
      alerts: o.alerts,
      logs: o.logs,
      risk: o.risk,
    };
  });
}
