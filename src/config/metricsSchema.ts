import { z } from 'zod';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** The validated `metrics` block: where Prometheus scrapes `/metrics`. */
export interface MetricsConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Required by every scrape when set; needed for a non-loopback host. */
  readonly token: string | undefined;
}

/** The defaults of every `metrics` key (9464 is the port Prometheus exporters conventionally use). */
export const METRICS_DEFAULTS: MetricsConfig = { port: 9464, host: '127.0.0.1', token: undefined };

const MIN_TOKEN_LENGTH = 8;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const hostSchema = z.unknown().transform((input, ctx): string => {
  if (typeof input === 'string' && input.length > 0) return input;
  refuse(ctx, input, {
    problem: 'is not a host name or address, e.g. 127.0.0.1',
    allowed: 'a host name or address',
  });
  return z.NEVER;
});

const tokenSchema = z.unknown().transform((input, ctx): string => {
  if (typeof input === 'string' && input.length >= MIN_TOKEN_LENGTH) return input;
  const allowed = `a string of at least ${MIN_TOKEN_LENGTH} characters, e.g. \${RATCHET_METRICS_TOKEN}`;
  refuse(ctx, input, {
    problem:
      typeof input === 'string'
        ? `is ${input.length} characters long; allowed: ${allowed}`
        : `is not ${allowed}`,
    allowed,
  });
  return z.NEVER;
});

/**
 * Schema of `metrics`: port in [0, 65535] (default 9464), host (default 127.0.0.1), and a token
 * of at least 8 characters, required when the host is not loopback. `metrics: {}` serves on
 * the defaults.
 */
export const metricsSchema = strictObject({
  port: decimal({ ge: '0', le: '65535', integer: true }).transform(Number).optional(),
  host: hostSchema.optional(),
  token: tokenSchema.optional(),
}).transform((o, ctx): MetricsConfig => {
  const out: MetricsConfig = {
    port: o.port ?? METRICS_DEFAULTS.port,
    host: o.host ?? METRICS_DEFAULTS.host,
    token: o.token,
  };
  if (!LOOPBACK.has(out.host.toLowerCase()) && out.token === undefined) {
    refuse(
      ctx,
      out.host,
      {
        problem:
          "would let other machines read the engine's metrics without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set metrics.token as well (Prometheus sends it with authorization: { credentials: … })",
        allowed: 'a loopback host, or any host together with a token',
      },
      ['host'],
    );
    return z.NEVER;
  }
  return out;
});
