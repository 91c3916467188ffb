import { z } from 'zod';
import { decimal } from './decimals.ts';
import { refuse } from './issues.ts';
import { NumberText } from './numberText.ts';
import { strictObject } from './strictObject.ts';

/** The validated `alerts.telegram` block. */
export interface TelegramAlertsConfig {
  readonly botToken: string;
  /** A numeric chat id (as text, e.g. "-1001234567890") or a channel name ("@ratchet_alerts"). */
  readonly chatId: string;
  readonly apiBaseUrl: string;
}

/** How long a condition lasts before it is alerted on. */
export interface AlertThresholds {
  /** A position without a resting stop for longer than this. */
  readonly unprotectedSeconds: number;
  /** A price feed on its REST fallback for longer than this. */
  readonly feedFallbackSeconds: number;
  /** A decision that took longer than this, from tick to decision. */
  readonly decisionSeconds: number;
  /** A price past the resting stop with the position still open after this long. */
  readonly missedExitSeconds: number;
}

/** The validated `alerts` block: where alerts go and how often one problem may repeat. */
export interface AlertsConfig {
  readonly webhook: { readonly url: string } | undefined;
  readonly telegram: TelegramAlertsConfig | undefined;
  /** Repeats of one alert within this are summarised, not sent. */
  readonly minIntervalSeconds: number;
  readonly thresholds: AlertThresholds;
}

/** The defaults of the optional `alerts` keys. */
export const ALERTS_DEFAULTS = {
  minIntervalSeconds: 300,
  apiBaseUrl: 'https://api.telegram.org',
  thresholds: {
    unprotectedSeconds: 30,
    feedFallbackSeconds: 60,
    decisionSeconds: 1,
    missedExitSeconds: 10,
  },
} as const satisfies { thresholds: AlertThresholds } & Record<string, unknown>;

const urlSchema = z.unknown().transform((input, ctx): string => {
  const allowed = 'an http:// or https:// URL, e.g. https://hooks.example.com/ratchet';
  let url: URL | undefined;
  try {
    url = typeof input === 'string' ? new URL(input) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    refuse(ctx, input, {
      problem: input === undefined ? 'is required' : `is not ${allowed}`,
      allowed,
    });
    return z.NEVER;
  }
  return input as string;
});

// What BotFather hands out: the bot's numeric id, a colon, then the secret part.
const BOT_TOKEN = /^\d+:[\w-]+$/;

const botTokenSchema = z.unknown().transform((input, ctx): string => {
  if (typeof input === 'string' && BOT_TOKEN.test(input)) return input;
  const allowed =
    'a Telegram bot token as BotFather gives it (digits, a colon, then letters, digits, _ or -), e.g. ${RATCHET_TELEGRAM_TOKEN}';
  refuse(ctx, input, {
    problem: input === undefined ? 'is required' : `is not ${allowed}`,
    allowed,
    // A mistyped token may still be a secret: never echo it.
    ...(typeof input === 'string' ? { value: '(hidden)' } : {}),
  });
  return z.NEVER;
});

const CHAT_ID = /^-?\d{1,20}$/;
const CHANNEL = /^@[A-Za-z][A-Za-z0-9_]{3,}$/;

const chatIdSchema = z.unknown().transform((input, ctx): string => {
  const text = input instanceof NumberText ? input.text : input;
  if (typeof text === 'string' && (CHAT_ID.test(text) || CHANNEL.test(text))) return text;
  const allowed =
    'a numeric chat id (e.g. -1001234567890) or a channel name (e.g. "@ratchet_alerts")';
  refuse(ctx, input, {
    problem: input === undefined ? 'is required' : `is not ${allowed}`,
    allowed,
  });
  return z.NEVER;
});

const seconds = (bounds: { gt?: string; ge?: string; le: string }) =>
  decimal(bounds).transform(Number).optional();

const thresholdsSchema = strictObject({
  unprotectedSeconds: seconds({ ge: '1', le: '86400' }),
  feedFallbackSeconds: seconds({ ge: '1', le: '86400' }),
  decisionSeconds: seconds({ gt: '0', le: '60' }),
  missedExitSeconds: seconds({ ge: '1', le: '3600' }),
}).transform((o): AlertThresholds => ({
  unprotectedSeconds: o.unprotectedSeconds ?? ALERTS_DEFAULTS.thresholds.unprotectedSeconds,
  feedFallbackSeconds: o.feedFallbackSeconds ?? ALERTS_DEFAULTS.thresholds.feedFallbackSeconds,
  decisionSeconds: o.decisionSeconds ?? ALERTS_DEFAULTS.thresholds.decisionSeconds,
  missedExitSeconds: o.missedExitSeconds ?? ALERTS_DEFAULTS.thresholds.missedExitSeconds,
}));

/**
 * Schema of `alerts`: at least one channel — `webhook: { url }` (JSON POST) and/or
 * `telegram: { botToken, chatId, apiBaseUrl? }` — `minIntervalSeconds` in [1, 86400] (default
 * 300) between repeats of one alert, and optional `thresholds` (seconds) of the alerts that
 * wait for a condition to last.
 */
export const alertsSchema = strictObject({
  webhook: strictObject({ url: urlSchema }).optional(),
  telegram: strictObject({
    botToken: botTokenSchema,
    chatId: chatIdSchema,
    apiBaseUrl: urlSchema.optional(),
  }).optional(),
  minIntervalSeconds: seconds({ ge: '1', le: '86400' }),
  thresholds: thresholdsSchema.optional(),
}).transform((o, ctx): AlertsConfig => {
  // A misspelt channel is already refused with the key it should have been.
  if (o.webhook === undefined && o.telegram === undefined && ctx.issues.length === 0) {
    refuse(ctx, o, {
      problem:
        'names no channel, so no alert would reach anyone; allowed: webhook: { url } and/or telegram: { botToken, chatId } (or remove alerts)',
      allowed: 'webhook and/or telegram',
      value: '{ }',
    });
  }
  if (ctx.issues.length > 0) return z.NEVER;
  return {
    webhook: o.webhook,
    telegram:
      o.telegram === undefined
        ? undefined
        : {
            botToken: o.telegram.botToken,
            chatId: o.telegram.chatId,
            apiBaseUrl: o.telegram.apiBaseUrl ?? ALERTS_DEFAULTS.apiBaseUrl,
          },
    minIntervalSeconds: o.minIntervalSeconds ?? ALERTS_DEFAULTS.minIntervalSeconds,
    thresholds: o.thresholds ?? ALERTS_DEFAULTS.thresholds,
  };
});
