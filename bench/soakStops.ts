import { Decimal } from 'decimal.js';
import { positionTag } from '../src/engine/clientIds.ts';

/** The part of an engine log record the soak reads. */
export interface EngineRecord {
  readonly level: number;
  readonly time?: number;
  readonly msg: string;
  readonly position?: string;
  readonly type?: string;
  readonly alert?: string;
  readonly id?: string;
  readonly resting?: string | null;
  readonly stop?: unknown;
}

/**
 * One of our stops resting on the exchange: a conditional order with our client id, or a Bybit
 * position's own stop, named as the engine's Bybit adapter names it (`<symbol>:sl`, no client id).
 */
export interface ExchangeStop {
  readonly symbol: string;
  readonly algoId: string;
  readonly clientId: string;
  readonly stopPrice: string;
}

/** What the journal (through the engine's log) last said of one position. */
interface Acknowledged {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly tag: string;
  /** The stop the engine last acknowledged as resting; null when none (or unknown). */
  resting: { readonly id: string; readonly stopPrice: string } | null;
  /** Whether the engine saw the position end (flat, exited). */
  over: boolean;
}

/** A position whose best stop of ours on the exchange is looser than the one acknowledged. */
export interface LooserStop {
  readonly position: string;
  readonly symbol: string;
  readonly acknowledged: string;
  readonly onExchange: string;
}

/** Returns whether stop `a` protects more than stop `b` for a position on `side`. */
export function tighter(a: string, b: string, side: 'long' | 'short'): boolean {
  return side === 'long' ? new Decimal(a).gt(b) : new Decimal(a).lt(b);
}

/** Returns the position tag inside one of our client ids (`<prefix>-<tag>-<kind><n>`). */
export function tagOf(clientId: string): string | undefined {
  return clientId.split('-')[1];
}

/** The most positions remembered; the oldest are forgotten first. */
const CAPACITY = 1000;

/**
 * Follows the engine's journaled stop records (its `stopResting`, `stopAmended`, `stopCancelled`,
 * `stopFired`, `reconciled`, `positionFlat` and `exited` log lines) to know, per position, the stop the engine
 * last acknowledged, and compares that with the exchange's own stops.
 */
export class AcknowledgedStops {
  private readonly positions = new Map<string, Acknowledged>();
  /** Stop prices by order id, to resolve `reconciled` (which names only the kept id). */
  private readonly prices = new Map<string, string>();

  /**
   * Returns a tracker; `priceOf` reads from the exchange the price of the stop the engine names
   * `id`, for a stop it adopts at a restart (perhaps never acknowledged before: a kill or a full
   * disk came before its answer was recorded).
   */
  constructor(private readonly priceOf: (id: string) => string | undefined = () => undefined) {}

  /** Takes one engine log record into account; records about other things are ignored. */
  record(r: EngineRecord): void {
    const id = r.position;
    if (id === undefined || r.type === undefined) return;
    const entry = this.entry(id);
    if (entry === undefined) return;
    switch (r.type) {
      // A Bybit stop moves in place: its amend acknowledges the new price under the same id.
      case 'stopResting':
      case 'stopAmended': {
        const stop = r.stop as { id?: unknown; stopPrice?: unknown } | undefined;
        if (typeof stop?.id !== 'string' || typeof stop.stopPrice !== 'string') return;
        this.remember(stop.id, stop.stopPrice);
        entry.resting = { id: stop.id, stopPrice: stop.stopPrice };
        return;
      }
      case 'stopCancelled':
      case 'stopFired':
        if (entry.resting?.id === r.id) entry.resting = null;
        return;
      case 'reconciled': {
        const kept = typeof r.resting === 'string' ? r.resting : undefined;
        // The exchange's price first: a Bybit position stop keeps one id across its moves and
        // its symbol's positions, so the price last remembered under it may be stale; a Binance
        // order's price never changes, so either source gives the same.
        const price =
          kept === undefined ? undefined : (this.priceOf(kept) ?? this.prices.get(kept));
        entry.resting =
          kept === undefined || price === undefined ? null : { id: kept, stopPrice: price };
        return;
      }
      case 'positionFlat':
      case 'exited':
        entry.over = true;
        return;
    }
  }

  /** Returns the position whose acknowledged resting stop is the order `id`, if any. */
  ownerOf(id: string): string | undefined {
    for (const [position, e] of this.positions) if (e.resting?.id === id) return position;
    return undefined;
  }

  /** Returns the stop the engine last acknowledged for `position`, or null. */
  resting(position: string): { id: string; stopPrice: string } | null {
    return this.positions.get(position)?.resting ?? null;
  }

  /**
   * Returns the live positions (open on the exchange with the same side, not over, not `stale`)
   * whose tightest stop of ours on the exchange is looser than the stop last acknowledged.
   */
  looser(
    openSides: ReadonlyMap<string, 'long' | 'short'>,
    stops: readonly ExchangeStop[],
    stale: (position: string, tag: string) => boolean,
  ): LooserStop[] {
    const found: LooserStop[] = [];
    for (const [id, e] of this.positions) {
      if (e.over || e.resting === null || openSides.get(e.symbol) !== e.side) continue;
      if (stale(id, e.tag)) continue;
      // Its own stops, and the one it adopted (a predecessor's, kept across a restart).
      const adopted = e.resting.id;
      const mine = stops.filter(
        (s) => s.symbol === e.symbol && (tagOf(s.clientId) === e.tag || s.algoId === adopted),
      );
      if (mine.length === 0) continue;
      let best = mine[0]?.stopPrice as string;
      for (const s of mine) if (tighter(s.stopPrice, best, e.side)) best = s.stopPrice;
      if (tighter(e.resting.stopPrice, best, e.side))
        found.push({
          position: id,
          symbol: e.symbol,
          acknowledged: e.resting.stopPrice,
          onExchange: best,
        });
    }
    return found;
  }

  /** How many positions are remembered (bounded by CAPACITY). */
  get size(): number {
    return this.positions.size;
  }

  private entry(id: string): Acknowledged | undefined {
    const known = this.positions.get(id);
    if (known !== undefined) return known;
    // Position ids read `<venue>:<SYMBOL>:<side>:<openedAt>`; the `/sync` journal shares the id.
    const [, symbol, side] = id.split(':');
    if (symbol === undefined || (side !== 'long' && side !== 'short')) return undefined;
    const created: Acknowledged = {
      symbol,
      side,
      tag: positionTag(id),
      resting: null,
      over: false,
    };
    this.positions.set(id, created);
    if (this.positions.size > CAPACITY) {
      const oldest = this.positions.keys().next().value;
      if (oldest !== undefined) this.positions.delete(oldest);
    }
    return created;
  }

  private remember(id: string, price: string): void {
    this.prices.set(id, price);
    if (this.prices.size > CAPACITY * 4) {
      const oldest = this.prices.keys().next().value;
      if (oldest !== undefined) this.prices.delete(oldest);
    }
  }
}
