import { z } from 'zod';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** A local server's address: port (0 picks a free one), host, and the token it requires. */
export interface ListenerConfig {
  readonly port: number;
  readonly host: string;
  readonly token: string | undefined;
}

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

function tokenSchema(example: string) {
  return z.unknown().transform((input, ctx): string => {
    if (typeof input === 'string' && input.length >= MIN_TOKEN_LENGTH) return input;
    const allowed = `a string of at least ${MIN_TOKEN_LENGTH} characters, e.g. \${${example}}`;
    refuse(ctx, input, {
      problem:
        typeof input === 'string'
          ? `is ${input.length} characters long; allowed: ${allowed}`
          : `is not ${allowed}`,
      allowed,
    });
    return z.NEVER;
  });
}

/**
 * Returns the schema of a server block (`inspector`, `metrics`): port in [0, 65535], host
 * (default 127.0.0.1), and a token of at least 8 characters, required when the host is not
 * loopback — `openProblem` says what an open one would expose.
 */
export function listenerSchema(options: {
  readonly defaultPort: number;
  readonly tokenExample: string;
  readonly openProblem: string;
}) {
  return strictObject({
    port: decimal({ ge: '0', le: '65535', integer: true }).transform(Number).optional(),
    host: hostSchema.optional(),
    token: tokenSchema(options.tokenExample).optional(),
  }).transform((o, ctx): ListenerConfig => {
    const out: ListenerConfig = {
      port: o.port ?? options.defaultPort,
      host: o.host ?? '127.0.0.1',
      token: o.token,
    };
    if (!LOOPBACK.has(out.host.toLowerCase()) && out.token === undefined) {
      refuse(
        ctx,
        out.host,
        {
          problem: options.openProblem,
          allowed: 'a loopback host, or any host together with a token',
        },
        ['host'],
      );
      return z.NEVER;
    }
    return out;
  });
}
