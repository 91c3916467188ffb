import { Decimal } from 'decimal.js';
import type { Side } from '../domain/types.ts';
import type { JournalEntry } from '../store/checkpoint.ts';
import type { VenuePosition, VenueStopOrder } from '../venues/port.ts';
import { isOurs } from './clientIds.ts';
import type { PauseState, PositionStatus } from './liveEngine.ts';

/** One inconsistency between the engine's view and the exchange's. */
export interface DoctorProblem {
  readonly kind:
    | 'positionWithoutActor'
    | 'positionWithoutStop'
    | 'stopWithoutPosition'
    | 'restingLooserThanDesired'
    | 'restingNotOnExchange'
    | 'duplicateStops'
    | 'actorWithoutPosition'
    | 'journalGap';
  readonly symbol: string;
  readonly detail: string;
}

/** One open exchange position as the doctor sees it. */
export interface DoctorPosition {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: string;
  readonly entryPrice: string;
  /** The engine's actor for it; null when the engine holds none. */
  readonly actor: PositionStatus | null;
  /** Our open stops on its symbol and side. */
  readonly stops: readonly {
    readonly clientId: string;
    readonly stopPrice: string;
    readonly quantity: string | null;
  }[];
}

/** The doctor's report; its JSON form is documented in docs/operations.md and kept stable. */
export interface DoctorReport {
  readonly version: 1;
  readonly checkedAt: number;
  readonly venue: string;
  /** `running`: the engine answered on its control socket; `stopped`: read from its data directory. */
  readonly engine: 'running' | 'stopped';
  readonly paused: PauseState | null;
  readonly positions: readonly DoctorPosition[];
  /** Orders without our prefix: listed, never judged. */
  readonly foreignOrders: number;
  readonly problems: readonly DoctorProblem[];
  readonly consistent: boolean;
}

/** What the doctor compares. */
export interface DoctorInput {
  readonly checkedAt: number;
  readonly venue: string;
  readonly engine: 'running' | 'stopped';
  readonly paused: PauseState | null;
  readonly actors: readonly PositionStatus[];
  readonly positions: readonly VenuePosition[];
  readonly stops: readonly VenueStopOrder[];
  readonly prefix: string;
  /** The percent of the resting stop by which a lag is an emergency (the config's `emergencyPercent`). */
  readonly emergencyPercent: string;
  /** The journal, when it can be read (the engine is stopped). */
  readonly journal?: readonly JournalEntry[] | undefined;
}

const looser = (resting: string, desired: string, side: Side) =>
  side === 'long' ? new Decimal(resting).lt(desired) : new Decimal(resting).gt(desired);

/**
 * Returns the consistency report of the engine's positions against the exchange: every open
 * position with its actor and our stops, and each inconsistency — a position without an actor
 * or without a stop, a stop of ours without a position, a resting stop looser than desired by
 * at least the emergency percent (the rate rules would have moved it), a resting stop the
 * exchange does not show, several stops of ours on one position, a journal gap.
 */
export function diagnose(input: DoctorInput): DoctorReport {
  const problems: DoctorProblem[] = [];
  const open = input.stops.filter((s) => s.status === 'open');
  const ours = open.filter((s) => isOurs(s.clientId, input.prefix));
  const positions: DoctorPosition[] = input.positions.map((p) => {
    const actor = input.actors.find((a) => a.symbol === p.symbol && a.side === p.side) ?? null;
    const stops = ours.filter((s) => s.symbol === p.symbol && s.positionSide === p.side);
    if (actor === null)
      problems.push({
        kind: 'positionWithoutActor',
        symbol: p.symbol,
        detail: `${p.side} ${p.quantity} has no actor in the engine`,
      });
    if (stops.length === 0)
      problems.push({
        kind: 'positionWithoutStop',
        symbol: p.symbol,
        detail: `${p.side} ${p.quantity} has no stop of ours resting`,
      });
    if (stops.length > 1)
      problems.push({
        kind: 'duplicateStops',
        symbol: p.symbol,
        detail: `${stops.length} stops of ours rest: ${stops.map((s) => s.stopPrice).join(', ')}`,
      });
    if (actor?.restingStop != null) {
      const restingStop = actor.restingStop;
      if (!stops.some((s) => new Decimal(s.stopPrice).eq(restingStop)))
        problems.push({
          kind: 'restingNotOnExchange',
          symbol: p.symbol,
          detail: `the engine believes ${restingStop} rests; the exchange shows ${stops.map((s) => s.stopPrice).join(', ') || 'none'}`,
        });
      const lag = new Decimal(actor.desiredStop).minus(restingStop).abs();
      if (
        looser(restingStop, actor.desiredStop, p.side) &&
        lag.times(100).gte(new Decimal(input.emergencyPercent).times(restingStop)) &&
        input.paused === null
      )
        problems.push({
          kind: 'restingLooserThanDesired',
          symbol: p.symbol,
          detail: `resting ${restingStop} lags the desired ${actor.desiredStop} by at least ${input.emergencyPercent} %`,
        });
    }
    return {
      symbol: p.symbol,
      side: p.side,
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      actor,
      stops: stops.map((s) => ({
        clientId: s.clientId,
        stopPrice: s.stopPrice,
        quantity: s.quantity ?? null,
      })),
    };
  });
  for (const s of ours) {
    if (!input.positions.some((p) => p.symbol === s.symbol && p.side === s.positionSide))
      problems.push({
        kind: 'stopWithoutPosition',
        symbol: s.symbol,
        detail: `our stop ${s.clientId} at ${s.stopPrice} protects no open position`,
      });
  }
  for (const a of input.actors) {
    if (
      !input.positions.some((p) => p.symbol === a.symbol && p.side === a.side) &&
      a.state !== 'closing'
    )
      problems.push({
        kind: 'actorWithoutPosition',
        symbol: a.symbol,
        detail: `actor ${a.id} (${a.state}) has no open position on the exchange`,
      });
  }
  if (input.journal !== undefined) {
    const last = new Map<string, number>();
    for (const e of input.journal) {
      const prev = last.get(e.positionId) ?? 0;
      if (e.seq !== prev + 1)
        problems.push({
          kind: 'journalGap',
          symbol: e.positionId,
          detail: `journal of ${e.positionId} jumps from ${prev} to ${e.seq}`,
        });
      last.set(e.positionId, e.seq);
    }
  }
  return {
    version: 1,
    checkedAt: input.checkedAt,
    venue: input.venue,
    engine: input.engine,
    paused: input.paused,
    positions,
    foreignOrders: open.length - ours.length,
    problems,
    consistent: problems.length === 0,
  };
}
