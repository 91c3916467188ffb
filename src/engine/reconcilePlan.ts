import { Decimal } from 'decimal.js';
import type { Side } from '../domain/types.ts';
import type { StopRef } from '../machines/orderSyncTypes.ts';
import type { VenuePosition, VenueStopOrder } from '../venues/port.ts';
import { isOurs } from './clientIds.ts';

/** What the engine holds for one live position, as reconciliation needs it. */
export interface HeldPosition {
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  /** The start of every client id of this position. */
  readonly stem: string;
  /** The entry price the actor was opened with; another one on the exchange is another position. */
  readonly entryPrice: string;
  /**
   * The account stream said this position is flat: whatever the exchange shows on its symbol
   * and side now is another position, and this one keeps its stops to cancel them itself.
   */
  readonly flat?: boolean;
  /**
   * Its stop fired (the exchange said so), so the position is closed or closing: a position on
   * its symbol and side with another entry price is a new one even in live reconciliation.
   */
  readonly fired?: boolean;
}

/** The exchange's truth for one held position: its size (null: flat) and our stops for it. */
export interface HeldTruth {
  readonly positionId: string;
  readonly position: VenuePosition | null;
  readonly stops: readonly VenueStopOrder[];
}

/** What reconciliation found, and what the engine does with each part. */
export interface ReconcilePlan {
  /** Every held position with the exchange's view of it. */
  readonly held: readonly HeldTruth[];
  /** Positions nobody holds (opened while we were down, or just now): each gets an actor; `stops` are ours found on its symbol and side, adopted. */
  readonly opened: readonly {
    readonly position: VenuePosition;
    readonly stops: readonly VenueStopOrder[];
  }[];
  /** Our stops that protect no open position: cancel them. */
  readonly orphans: readonly VenueStopOrder[];
  /** Orders without our prefix: left alone, reported. */
  readonly foreign: readonly VenueStopOrder[];
}

/**
 * Returns the reconciliation of what the engine holds with what the exchange shows (the table
 * of notes/live-engine.md). A held position matches the open position of its symbol and side
 * (one-way mode: one per symbol); a stop is a position's when its client id starts with the
 * position's stem, or when it is ours, on the same symbol and side, and no held position claims
 * it (then the position adopts it, so it keeps protecting until a stop of its own rests).
 */
export function reconcilePlan(
  held: readonly HeldPosition[],
  positions: readonly VenuePosition[],
  stops: readonly VenueStopOrder[],
  prefix: string,
  /** Match held positions by entry price too (at start-up: what changed while we were down). */
  matchEntry = false,
): ReconcilePlan {
  const open = stops.filter((s) => s.status === 'open');
  const ours = open.filter((s) => isOurs(s.clientId, prefix));
  const foreign = open.filter((s) => !isOurs(s.clientId, prefix));
  const claimed = new Set<VenueStopOrder>();
  const usedPositions = new Set<VenuePosition>();

  // One-way mode: one position per symbol. The same side with another entry price was closed and
  // reopened, or added to, while we were down: either way the actor's peaks and stops belong to
  // another position, so it ends and the exchange's position gets a new actor — which adopts the
  // old actor's stops below, so protection never lapses and a tighter stop is kept.
  const sameEntry = (a: string, b: string) => new Decimal(a).eq(b);
  const truths: HeldTruth[] = held.map((h) => {
    const position =
      h.flat === true
        ? null
        : (positions.find(
            (p) =>
              p.symbol === h.symbol &&
              p.side === h.side &&
              (!(matchEntry || h.fired === true) || sameEntry(p.entryPrice, h.entryPrice)),
          ) ?? null);
    if (position !== null) usedPositions.add(position);
    const mine = ours.filter((s) => s.clientId.startsWith(h.stem));
    for (const s of mine) claimed.add(s);
    return { positionId: h.positionId, position, stops: mine };
  });

  const fits = (s: VenueStopOrder, p: VenuePosition) =>
    s.symbol === p.symbol && s.positionSide === p.side;
  // Unclaimed stops of ours on a held position's symbol and side join that position's stops.
  const withStrays = truths.map((t) => {
    if (t.position === null) return t;
    const position = t.position;
    const strays = ours.filter((s) => !claimed.has(s) && fits(s, position));
    for (const s of strays) claimed.add(s);
    return strays.length === 0 ? t : { ...t, stops: [...t.stops, ...strays] };
  });

  const openedPositions = positions.filter((p) => !usedPositions.has(p));
  // A held position that is gone hands its stops to a new position on its symbol and side.
  const handedOver = new Set<VenueStopOrder>();
  const released = withStrays.map((t, i) => {
    // A position the stream saw end (flat, or its stop fired) may be cancelling its stops right
    // now: they stay its own, for it to cancel once the new position's stop is answered.
    if (t.position !== null || held[i]?.flat === true || held[i]?.fired === true) return t;
    const kept = t.stops.filter((s) => !openedPositions.some((p) => fits(s, p)));
    for (const s of t.stops) if (!kept.includes(s)) handedOver.add(s);
    return kept.length === t.stops.length ? t : { ...t, stops: kept };
  });
  const opened = openedPositions.map((position) => {
    const adopted = [
      ...[...handedOver].filter((s) => fits(s, position)),
      ...ours.filter((s) => !claimed.has(s) && fits(s, position)),
    ];
    for (const s of adopted) claimed.add(s);
    return { position, stops: adopted };
  });

  return {
    held: released,
    opened,
    orphans: ours.filter((s) => !claimed.has(s)),
    foreign,
  };
}

/** Returns a venue stop as the sync machine knows stops. */
export function stopRef(s: VenueStopOrder): StopRef {
  return {
    id: s.id,
    clientId: s.clientId,
    stopPrice: s.stopPrice,
    quantity: s.quantity ?? '0',
    placedAt: s.createdAt,
  };
}
