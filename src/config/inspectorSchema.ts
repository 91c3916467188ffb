import { z } from 'zod';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** The validated `inspector` block: where the live inspector page is served. */
export interface InspectorConfig {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Required by every API and WebSocket request when set; needed for a non-loopback host. */
  readonly token: string | undefined;
}

/** The inspector's defaults (those of `ratchet inspect`). */
const INSPECTOR_DEFAULTS: InspectorConfig = {
  port: 7357,
  host: '127.0.0.1',
  token: undefined,
};

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
  const allowed = `a string of at least ${MIN_TOKEN_LENGTH} characters, e.g. \${RATCHET_INSPECTOR_TOKEN}`;
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
 * Schema of `inspector`: port in [0, 65535] (default 7357), host (default 127.0.0.1), and a
 * token of at least 8 characters, required when the host is not loopback (positions would be
 * readable from the network).
 */
export const inspectorSchema = strictObject({
  port: decimal({ ge: '0', le: '65535', integer: true }).transform(Number).optional(),
  host: hostSchema.optional(),
  token: tokenSchema.optional(),
}).transform((o, ctx): InspectorConfig => {
  const out: InspectorConfig = {
    port: o.port ?? INSPECTOR_DEFAULTS.port,
    host: o.host ?? INSPECTOR_DEFAULTS.host,
    token: o.token,
  };
  if (!LOOPBACK.has(out.host.toLowerCase()) && out.token === undefined) {
    refuse(
      ctx,
      out.host,
      {
        problem:
          'would let other machines read your positions without a token; allowed: a loopback host (127.0.0.1, localhost, ::1), or set inspector.token as well',
        allowed: 'a loopback host, or any host together with a token',
      },
      ['host'],
    );
    return z.NEVER;
  }
  return out;
});
