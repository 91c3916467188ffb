/**
 * Measures, per open position, the milliseconds it spent with no stop order resting on the
 * exchange. This is the figure that proves an engine never leaves a position naked, so it is
 * driven by the exchange's own state changes rather than sampled.
 */
export interface ProtectionRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  readonly unprotectedMs: number;
}

interface Entry {
  side: 'long' | 'short';
  openedAt: number;
  accumulated: number;
  since: number | undefined;
}

/** Tracks unprotected time for every position, keyed by symbol (one-way mode). */
export class ProtectionTracker {
  private readonly open = new Map<string, Entry>();
  private readonly closed: ProtectionRecord[] = [];

  /**
   * Records the state of `symbol` at `now`: which side is open (undefined when flat) and whether
   * a stop order protects it. A change of side closes the old record and starts a new one.
   */
  update(
    symbol: string,
    side: 'long' | 'short' | undefined,
    isProtected: boolean,
    now: number,
  ): void {
    const entry = this.open.get(symbol);
    if (entry !== undefined && entry.side !== side) {
      this.closed.push({ ...this.record(symbol, entry, now), closedAt: now });
      this.open.delete(symbol);
    }
    if (side === undefined) return;
    const current = this.open.get(symbol);
    if (current === undefined) {
      this.open.set(symbol, {
        side,
        openedAt: now,
        accumulated: 0,
        since: isProtected ? undefined : now,
      });
      return;
    }
    if (isProtected && current.since !== undefined) {
      current.accumulated += now - current.since;
      current.since = undefined;
    } else if (!isProtected && current.since === undefined) {
      current.since = now;
    }
  }

  /** Returns the unprotected milliseconds of the open position on `symbol`, or undefined if flat. */
  unprotectedMs(symbol: string, now: number): number | undefined {
    const entry = this.open.get(symbol);
    return entry === undefined ? undefined : this.record(symbol, entry, now).unprotectedMs;
  }

  /** Returns one record per open position followed by the closed ones, oldest first. */
  records(now: number): ProtectionRecord[] {
    const open = [...this.open.entries()].map(([symbol, e]) => this.record(symbol, e, now));
    return [...this.closed, ...open];
  }

  private record(symbol: string, e: Entry, now: number): ProtectionRecord {
    const running = e.since === undefined ? 0 : now - e.since;
    return {
      symbol,
      side: e.side,
      openedAt: e.openedAt,
      closedAt: undefined,
      unprotectedMs: e.accumulated + running,
    };
  }
}
