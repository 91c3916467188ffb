import type { InspectionRecord, PositionInfo } from '../inspection/inspectionRecord.ts';

/**
 * The inspector's wire protocol, shared by the server and the page. Version 1. A replay and a
 * live engine speak it alike: a position is announced once (`positionOpened`), then each step
 * of its actor arrives as a `record` with the next `seq`.
 */
export const PROTOCOL_VERSION = 1;

/** A position as listed: its static facts plus where it stands now. */
export interface PositionSummary extends PositionInfo {
  /** How many records exist; the next record's seq equals this number. */
  readonly records: number;
  readonly status: 'open' | 'exited';
  readonly stop: string | null;
  readonly lastTs: number | null;
}

/** `GET /api/positions`. */
export interface PositionsResponse {
  readonly protocol: number;
  readonly positions: readonly PositionSummary[];
}

/** `GET /api/positions/:id/history`: every record so far, seq 0 first. */
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
      readonly positions: readonly PositionSummary[];
    }
  | { readonly type: 'positionOpened'; readonly position: PositionSummary }
  | { readonly type: 'record'; readonly positionId: string; readonly record: InspectionRecord }
  /** The answer to anything a client sends: the stream is one-way. */
  | { readonly type: 'error'; readonly message: string };
