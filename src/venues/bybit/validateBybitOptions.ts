import { VenueError } from '../port.ts';
import type { BybitConnection } from './bybitClient.ts';

/**
 * Throws VenueError `invalid` with one paragraph naming the first bad option and what is
 * allowed; returns normally when the options can reach an exchange.
 */
export function validateBybitOptions(
  options: BybitConnection & { readonly clientIdPrefix: string },
): void {
  const bad = (message: string): never => {
    throw new VenueError('invalid', message);
  };
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '')
    bad('The Bybit venue needs `apiKey`: the API key of the account, a non-empty string.');
  if (typeof options.secret !== 'string' || options.secret.trim() === '')
    bad('The Bybit venue needs `secret`: the API secret of the account, a non-empty string.');
  if (!/^[A-Za-z0-9_]{1,16}$/.test(options.clientIdPrefix))
    bad(
      `The Bybit venue's client-id prefix "${options.clientIdPrefix}" is not one Bybit accepts in an orderLinkId: use 1 to 16 letters, digits or underscores.`,
    );
  if (options.url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.url);
    } catch {
      parsed = undefined;
    }
    if (
      parsed === undefined ||
      !['http:', 'https:'].includes(parsed.protocol) ||
      parsed.search !== ''
    )
      bad(
        `The venue \`url\` "${options.url}" is not a server's base URL: give http:// or https:// with a host and port, such as http://127.0.0.1:8787, without a query.`,
      );
    if (options.sandbox === true)
      bad(
        "The venue has both `url` and `sandbox: true`: `url` points at a compatible server, `sandbox` at Bybit's testnet; keep one.",
      );
  }
  if (
    options.timeoutMs !== undefined &&
    (!Number.isSafeInteger(options.timeoutMs) || options.timeoutMs <= 0)
  )
    bad(
      `The venue \`timeoutMs\` must be a positive whole number of milliseconds, such as 10000; got ${String(options.timeoutMs)}.`,
    );
}
