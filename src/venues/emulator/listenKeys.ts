import { randomBytes } from 'node:crypto';
import { errors } from './errors.ts';

/**
 * The account's user-data listen keys. Binance USDⓈ-M hands back the same key while one is
 * valid, so a second `POST /fapi/v1/listenKey` returns the current key; keys do not expire here.
 */
export class ListenKeys {
  private current: string | undefined;
  private readonly revoked = new Set<(key: string) => void>();

  /** Returns the active key, creating one when none exists. */
  create(): string {
    this.current ??= randomBytes(32).toString('hex');
    return this.current;
  }

  /** Throws -1125 unless `key` (or, when omitted, any key) is active; returns the active key. */
  keepAlive(key: string | undefined): string {
    if (this.current === undefined || (key !== undefined && key !== this.current))
      throw errors.listenKeyMissing();
    return this.current;
  }

  /** Revokes the active key and tells the listeners so they close its streams. */
  revoke(): void {
    const key = this.current;
    this.current = undefined;
    if (key !== undefined) for (const l of this.revoked) l(key);
  }

  /** Returns whether `key` is the active key. */
  isValid(key: string): boolean {
    return key === this.current;
  }

  /** Registers a callback run when a key is revoked. */
  onRevoke(listener: (key: string) => void): void {
    this.revoked.add(listener);
  }
}
