import type { InspectionRecord, PositionInfo } from '../inspection/inspectionRecord.ts';

/**
 * The inspector's wire protocol, shared by the server and the page. Version 2: histories hold
 * the newest records only, from `firstSeq`, and positions can be dropped. A replay and a live
 * engine speak it alike: a position is announced once (`positionOpened`), then each step of
 * its actor arrives as a `record` with the next `seq`.
 */
export const PROTOCOL_VERSION = 2;

/** How much the server keeps: the newest records of each position, and how many positions. */
export interface HubRetention {
  readonly recordsPerPosition: number;
  readonly positions: number;
}

/** A position as listed: its static facts plus where it stands now. */
export interface PositionSummary extends PositionInfo {
  /** How many records the position ever had; the next record's seq equals this number. */
  readonly records: number;
  /** The seq of the oldest record still held; older ones were let go to bound memory. */
  readonly firstSeq: number;
  readonly status: 'open' | 'exited';
  readonly stop: string | null;
  readonly lastTs: number | null;
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
  /** The answer to anything a client sends: the stream is one-way. */
  | { readonly type: 'error'; readonly message: string };
