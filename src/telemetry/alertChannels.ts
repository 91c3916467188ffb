import type { OutgoingAlert } from './alertThrottle.ts';

/** A place alerts are delivered to. */
export interface AlertChannel {
  /** Names the channel in logs: never its URL, which may hold a token. */
  readonly name: string;
  /** Resolves when the receiver accepted the alert; rejects with an {@link AlertDeliveryError}. */
  send(alert: OutgoingAlert): Promise<void>;
}

/** A delivery that failed; `retryable` says whether trying again may help. */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Options every HTTP channel takes. */
export interface HttpChannelOptions {
  /** A receiver slower than this counts as failed (and is retried). Default 10 000 ms. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * POSTs `body` as JSON and resolves on a 2xx answer. Rejects with a retryable error for a
 * network failure, a timeout, 408, 429 and 5xx, and a final one for any other status; messages
 * name `channel` and the status, never the URL.
 */
async function postJson(
  channel: string,
  url: string,
  body: unknown,
  options: HttpChannelOptions,
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed';
    throw new AlertDeliveryError(`${channel}: request ${why}${cause ? ` (${cause})` : ''}`, true);
  }
  if (!res.ok) {
    await res.body?.cancel();
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    throw new AlertDeliveryError(`${channel}: answered HTTP ${res.status}`, retryable);
  }
  return res;
}

/** Returns a channel POSTing `{ key, severity, message, ts }` as JSON to `url`. */
export function webhookChannel(
  config: { readonly url: string },
  options: HttpChannelOptions = {},
): AlertChannel {
  return {
    name: 'webhook',
    send: async ({ key, severity, message, ts }) => {
      const res = await postJson('webhook', config.url, { key, severity, message, ts }, options);
      await res.body?.cancel();
    },
  };
}

/** Where Telegram alerts go. */
export interface TelegramConfig {
  readonly botToken: string;
  /** A chat id (e.g. -1001234567890) or a channel name (e.g. @ratchet_alerts). */
  readonly chatId: string;
  /** Default https://api.telegram.org; tests point it at a local receiver. */
  readonly apiBaseUrl?: string | undefined;
}

const SEVERITY_MARK = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;
// sendMessage refuses longer texts outright (and a refusal is not retried).
const TELEGRAM_MAX_TEXT = 4096;

/** Returns `text` cut to Telegram's limit, with an ellipsis when cut. */
function fitTelegram(text: string): string {
  const chars = [...text];
  return chars.length <= TELEGRAM_MAX_TEXT
    ? text
    : `${chars.slice(0, TELEGRAM_MAX_TEXT - 1).join('')}…`;
}

/** Returns a channel sending each alert as a message through the Telegram Bot API's `sendMessage`. */
export function telegramChannel(
  config: TelegramConfig,
  options: HttpChannelOptions = {},
): AlertChannel {
  const base = (config.apiBaseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const url = `${base}/bot${config.botToken}/sendMessage`;
  return {
    name: 'telegram',
    send: async ({ severity, message }) => {
      const res = await postJson(
        'telegram',
        url,
        {
          chat_id: config.chatId,
          text: fitTelegram(`${SEVERITY_MARK[severity]} ${severity}: ${message}`),
        },
        options,
      );
      // The Bot API may answer 200 with { ok: false } for a message it refused.
      const answer = (await res.json().catch(() => undefined)) as { ok?: unknown } | undefined;
      if (answer?.ok !== true)
        throw new AlertDeliveryError('telegram: answered without ok: true', false);
    },
  };
}
