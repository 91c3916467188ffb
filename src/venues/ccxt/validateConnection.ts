import { VenueError } from '../port.ts';
import type { CcxtConnection } from './connectCcxtClient.ts';

/**
 * Throws VenueError `invalid` with one paragraph naming the first bad option and what is
 * allowed, checking the credentials, then `venueChecks` (the adapter's own options, which call
 * `bad` on the first fault), then the endpoint and timeout; returns normally when the options can
 * reach `exchange` (its name in messages).
 */
export function validateConnection(
  options: CcxtConnection,
  exchange: string,
  venueChecks: (bad: (message: string) => never) => void = () => undefined,
): void {
  const bad = (message: string): never => {
    throw new VenueError('invalid', message);
  };
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '')
    bad(`The ${exchange} venue needs \`apiKey\`: the API key of the account, a non-empty string.`);
  if (typeof options.secret !== 'string' || options.secret.trim() === '')
    bad(
      `The ${exchange} venue needs \`secret\`: the API secret of the account, a non-empty string.`,
    );
  venueChecks(bad);
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
        `The venue has both \`url\` and \`sandbox: true\`: \`url\` points at a compatible server, \`sandbox\` at ${exchange}'s testnet; keep one.`,
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
