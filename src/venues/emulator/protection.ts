import { RecentMap } from './recentMap.ts';

/**
 * Measures, per position, the milliseconds it spent with no stop order resting on the exchange.
 * This is the figure that proves an engine never leaves a position naked, so it is driven by the
 * exchange's own state changes rather than sampled.
 */
export interface ProtectionRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly openedAt: number;
  /** When the position closed or flipped; null while it is open. */
  readonly closedAt: number | null;
  /** Whether a protecting stop rests now (at closing time for a closed record). */
  readonly isProtected: boolean;
  /** Unprotected time from the opening on. */
  readonly unprotectedMs: number;
  /** When a protecting stop first rested for this position; null if none ever did. */
  readonly firstProtectedAt: number | null;
  /** Unprotected time after firstProtectedAt (0 before it): the naked time a stop engine caused. */
  readonly unprotectedMsSinceFirstProtected: number;
  /**
   * When a stop of this position's own first protected it; null if none has yet. Its own: placed
   * while it was open, or resting when it opened with no cancel asked for by then. A
   * predecessor's leftover whose cancel was already on its way when the position opened protects,
   * but does not start this clock: losing such borrowed cover before the position's own first
   * stop is opening time, not a broken promise.
   */
  readonly firstOwnStopAt: number | null;
  /** Unprotected time after firstOwnStopAt (0 before it). */
  readonly unprotectedMsSinceOwnStop: number;
}

/** One stop protecting a position: which order it is, and whether its cancel was asked for. */
export interface Cover {
  readonly id: string;
  readonly cancelAsked: boolean;
}

interface Entry {
  readonly side: 'long' | 'short';
  readonly openedAt: number;
  /** Closed unprotected spans, in ms. */
  accumulated: number;
  /** The part of `accumulated` after firstProtectedAt. */
  accumulatedSinceFirst: number;
  /** The part of `accumulated` after firstOwnStopAt. */
  accumulatedSinceOwn: number;
  /** Start of the running unprotected span; undefined while protected. */
  since: number | undefined;
  firstProtectedAt: number | undefined;
  firstOwnStopAt: number | undefined;
  /** Covers present at the opening whose cancel was already asked for: borrowed, not its own. */
  readonly borrowed: ReadonlySet<string>;
}

/**
 * Tracks unprotected time for every open position, keyed by symbol (one-way mode), and keeps the
 * records of the last `closedCapacity` closed positions.
 */
export class ProtectionTracker {
  private readonly open = new Map<string, Entry>();
  private readonly closed: RecentMap<number, ProtectionRecord>;
  private closedSeq = 0;

  /** Returns a tracker keeping at most `closedCapacity` closed records. */
  constructor(closedCapacity: number) {
    this.closed = new RecentMap(closedCapacity);
  }

  /**
   * Records the state of `symbol` at `now`: which side is open (undefined when flat) and the stop
   * orders protecting it (none: naked). A change of side closes the old record and starts a new
   * one.
   */
  update(
    symbol: string,
    side: 'long' | 'short' | undefined,
    cover: readonly Cover[],
    now: number,
  ): void {
    const isProtected = cover.length > 0;
    const entry = this.open.get(symbol);
    if (entry !== undefined && entry.side !== side) {
      this.closed.set(this.closedSeq++, { ...this.record(symbol, entry, now), closedAt: now });
      this.open.delete(symbol);
    }
    if (side === undefined) return;
    const current = this.open.get(symbol);
    if (current === undefined) {
      this.open.set(symbol, {
        side,
        openedAt: now,
        accumulated: 0,
        accumulatedSinceFirst: 0,
        accumulatedSinceOwn: 0,
        since: isProtected ? undefined : now,
        firstProtectedAt: isProtected ? now : undefined,
        firstOwnStopAt: cover.some((c) => !c.cancelAsked) ? now : undefined,
        // By identity, not by time: a cancel asked for in the millisecond of the opening is
        // before it or after it, as the exchange handled the two.
        borrowed: new Set(cover.filter((c) => c.cancelAsked).map((c) => c.id)),
      });
      return;
    }
    if (isProtected && current.since !== undefined) {
      const span = now - current.since;
      current.accumulated += span;
      if (current.firstProtectedAt !== undefined) current.accumulatedSinceFirst += span;
      if (current.firstOwnStopAt !== undefined) current.accumulatedSinceOwn += span;
      current.since = undefined;
      current.firstProtectedAt ??= now;
    } else if (!isProtected && current.since === undefined) {
      current.since = now;
    }
    if (cover.some((c) => !current.borrowed.has(c.id))) current.firstOwnStopAt ??= now;
  }

  /** Returns the record of the open position on `symbol`, or undefined if it is flat. */
  openRecord(symbol: string, now: number): ProtectionRecord | undefined {
    const entry = this.open.get(symbol);
    return entry === undefined ? undefined : this.record(symbol, entry, now);
  }

  /** Returns the kept closed records (oldest first) followed by one per open position. */
  records(now: number): ProtectionRecord[] {
    const open = [...this.open.entries()].map(([symbol, e]) => this.record(symbol, e, now));
    return [...this.closed.values(), ...open];
  }

  /** Returns how many closed records are kept. */
  closedCount(): number {
    return this.closed.size;
  }

  private record(symbol: string, e: Entry, now: number): ProtectionRecord {
    const running = e.since === undefined ? 0 : now - e.since;
    const runningSinceFirst = e.firstProtectedAt === undefined ? 0 : running;
    const runningSinceOwn = e.firstOwnStopAt === undefined ? 0 : running;
    return {
      symbol,
      side: e.side,
      openedAt: e.openedAt,
      closedAt: null,
      isProtected: e.since === undefined,
      unprotectedMs: e.accumulated + running,
      firstProtectedAt: e.firstProtectedAt ?? null,
      unprotectedMsSinceFirstProtected: e.accumulatedSinceFirst + runningSinceFirst,
      firstOwnStopAt: e.firstOwnStopAt ?? null,
      unprotectedMsSinceOwnStop: e.accumulatedSinceOwn + runningSinceOwn,
    };
  }
}
