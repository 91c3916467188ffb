import { z } from 'zod';
import { refuse } from './issues.ts';
import { strictObject } from './strictObject.ts';

/** The exchanges `ratchet run` can keep stops on, by ccxt id. */
const SUPPORTED_EXCHANGES = ['binanceusdm', 'bybit'] as const;

/** A supported exchange's ccxt id. */
export type ExchangeId = (typeof SUPPORTED_EXCHANGES)[number];

/** The validated `venue` block. */
export interface VenueConfig {
  readonly exchange: ExchangeId;
  /** A compatible server (e.g. the emulator) instead of the exchange; undefined: the real exchange. */
  readonly url: string | undefined;
  /** True: the exchange's testnet. */
  readonly sandbox: boolean;
  readonly apiKey: string;
  readonly secret: string;
}

const exchangeSchema = z.unknown().transform((input, ctx): ExchangeId => {
  const allowed = `one of ${SUPPORTED_EXCHANGES.join(', ')}`;
  const supported = SUPPORTED_EXCHANGES.find((id) => id === input);
  if (supported !== undefined) return supported;
  refuse(ctx, input, {
    problem:
      input === undefined
        ? 'is required'
        : `is not a supported exchange; allowed: ${allowed} (the ccxt id: Binance USDⓈ-M futures or Bybit's linear contracts)`,
    allowed,
  });
  return z.NEVER;
});

const urlSchema = z.unknown().transform((input, ctx): string => {
  const allowed = 'an http:// or https:// URL, e.g. http://127.0.0.1:8787';
  let url: URL | undefined;
  try {
    url = typeof input === 'string' ? new URL(input) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    refuse(ctx, input, { problem: `is not ${allowed}`, allowed });
    return z.NEVER;
  }
  return input as string;
});

/** Schema of a credential: a non-empty string, usually a `${NAME}` reference to the environment. */
const credentialSchema = z.unknown().transform((input, ctx): string => {
  if (typeof input === 'string' && input.length > 0) return input;
  const allowed = 'a non-empty string, e.g. ${RATCHET_API_KEY} to read it from the environment';
  refuse(ctx, input, {
    problem:
      input === undefined
        ? 'is required'
        : `is not ${allowed}${input === '' ? ' (an empty environment variable counts as empty)' : ''}`,
    allowed,
  });
  return z.NEVER;
});

/**
 * Schema of `venue`: a supported ccxt exchange id, an optional http(s) `url` of a compatible
 * server or `sandbox` (not both), and the API key pair.
 */
export const venueSchema = strictObject({
  exchange: exchangeSchema,
  url: urlSchema.optional(),
  sandbox: z.boolean().optional(),
  apiKey: credentialSchema,
  secret: credentialSchema,
}).transform((o, ctx): VenueConfig => {
  if (o.url !== undefined && o.sandbox === true) {
    refuse(
      ctx,
      true,
      {
        problem: `points at the testnet while url points at ${o.url}; allowed: url or sandbox: true, not both`,
        allowed: 'false when url is given',
      },
      ['sandbox'],
    );
    return z.NEVER;
  }
  return {
    exchange: o.exchange,
    url: o.url,
    sandbox: o.sandbox ?? false,
    apiKey: o.apiKey,
    secret: o.secret,
  };
});
