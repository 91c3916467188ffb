import type { PositionEvent } from '../domain/types.ts';
import type { InspectionRecord, PositionInfo } from '../inspection/inspectionRecord.ts';
import type { SyncRecord } from '../machines/orderSyncTypes.ts';

/**
 * The inspector's wire protocol, shared by the server and the page. Version 3: a live position
 * also reports its order sync (`live` messages: where its exchange stop rests, and each step of
 * its order-sync machine) and its end (`positionClosed`). A replay and a live engine speak it
 * alike: a position is announced once (`positionOpened`), then each step of its actor arrives
 * as a `record` with the next `seq`; histories hold the newest records only, from `firstSeq`.
 */
export const PROTOCOL_VERSION = 3;

/** How much the server keeps: the newest records of each position, and how many positions. */
export interface HubRetention {
  readonly recordsPerPosition: number;
  readonly positions: number;
}

/** Where a live position's exchange side stands, as the engine reported it after its last step. */
export interface LiveSummary {
  /** The order-sync machine's state: none, placing, resting, replacing, cancelling, unknown, closing, closed. */
  readonly orderSync: string;
  readonly lane: 'fast' | 'normal';
  /** The stop resting on the exchange; null while none is acknowledged. */
  readonly restingStop: string | null;
  /** Time the position has spent without a resting stop, up to the report. */
  readonly unprotectedMs: number;
  /** The part of it after the first stop rested (what moves cost). */
  readonly gapMs: number;
}

/** A position as listed: its static facts plus where it stands now. */
export interface PositionSummary extends PositionInfo {
  /** The exchange symbol of a live position; a replay's label. */
  readonly symbol: string;
  /** How many records the position ever had; the next record's seq equals this number. */
  readonly records: number;
  /** The seq of the oldest record still held; older ones were let go to bound memory. */
  readonly firstSeq: number;
  /** `closed`: a live position whose actors ended (flat on the exchange, no stop left). */
  readonly status: 'open' | 'exited' | 'closed';
  /**
   * The position statechart's state in a word: `exited`, else the active state of its distance
   * region (`armed`, `trailing.normal`, `trailing.accelerated`), else of its elastic or breakeven
   * region, else `open`.
   */
  readonly state: string;
  /** The desired stop: where the position statechart puts it now. */
  readonly desiredStop: string | null;
  /** The stop resting on the exchange (live positions; null for a replay or while none rests). */
  readonly restingStop: string | null;
  /** Time without a resting stop (0 for a replay). */
  readonly unprotectedMs: number;
  readonly lastPrice: string | null;
  readonly lastTs: number | null;
  /** The exchange side of a live position; null for a replay. */
  readonly live: LiveSummary | null;
  /** When a live position closed (the engine's time); null while open. */
  readonly closedAt: number | null;
  /** How many order-sync steps the position ever had; the next one's seq equals it. */
  readonly syncSteps: number;
}

/**
 * One step of a live position's order-sync machine: what it recorded (commands sent, answers
 * learnt) and the state it left the machine in. `at` is the seq of the position record that was
 * the latest when it happened, so a time-travelling page shows it from that step on.
 */
export interface SyncStep {
  readonly seq: number;
  readonly at: number;
  /** The engine's time of the report. */
  readonly ts: number;
  readonly from: string;
  readonly state: string;
  /** Ids of every active state node, `orderSync` first. */
  readonly active: readonly string[];
  /** Ids of the transitions taken, as the drawing names them (the step, then the route). */
  readonly transitions: readonly string[];
  readonly records: readonly SyncRecord[];
  readonly desiredStop: string;
  readonly restingStop: string | null;
  readonly unprotectedMs: number;
}

/** `GET /api/positions`. */
export interface PositionsResponse {
  readonly protocol: number;
  readonly positions: readonly PositionSummary[];
}

/** `GET /api/positions/:id/history`: the records held, from `position.firstSeq` on, in order. */
export interface HistoryResponse {
  readonly position: PositionSummary;
  readonly records: readonly InspectionRecord[];
  /** The order-sync steps held, oldest first (empty for a replay). */
  readonly syncSteps: readonly SyncStep[];
}

/** One decision of a position as its journal keeps it: a SPEC event or an order-sync record. */
export type JournalLine =
  | { readonly machine: 'position'; readonly seq: number; readonly event: PositionEvent }
  | { readonly machine: 'sync'; readonly seq: number; readonly event: SyncRecord };

/**
 * `GET /api/positions/:id/journal?limit=N`: the position's newest `limit` journal lines, oldest
 * first, read from the store on demand (the steps older than the hub keeps live only there).
 */
export interface JournalResponse {
  readonly positionId: string;
  /** How many lines the journal holds for the position. */
  readonly total: number;
  readonly lines: readonly JournalLine[];
}

/** Messages the server pushes on the WebSocket stream (`/api/stream`); the page sends none. */
export type ServerMessage =
  | {
      readonly type: 'hello';
      readonly protocol: number;
      readonly machineId: string;
      readonly retention: HubRetention;
      readonly positions: readonly PositionSummary[];
    }
  | { readonly type: 'positionOpened'; readonly position: PositionSummary }
  /** The server let a position go (it made room for a newer one, or was told to). */
  | { readonly type: 'positionDropped'; readonly positionId: string }
  | { readonly type: 'record'; readonly positionId: string; readonly record: InspectionRecord }
  /** A live position's step was committed: where it stands now, and its order-sync step if it took one. */
  | {
      readonly type: 'live';
      readonly positionId: string;
      readonly live: LiveSummary;
      readonly step: SyncStep | null;
    }
  /** A live position's actors ended: it stays listed, marked, until the page dismisses it. */
  | { readonly type: 'positionClosed'; readonly positionId: string; readonly closedAt: number }
  /** The answer to anything a client sends: the stream is one-way. */
  | { readonly type: 'error'; readonly message: string };
