import type {
  InspectedPosition,
  InspectionRecord,
  PositionInfo,
} from '../inspection/inspectionRecord.ts';
import type { InspectionSink } from '../inspection/inspectionTap.ts';
import type { HistoryResponse, PositionSummary, ServerMessage } from './protocol.ts';

interface Entry {
  readonly info: PositionInfo;
  readonly records: InspectionRecord[];
}

/** Receives every message the hub publishes. */
export type HubListener = (message: ServerMessage) => void;

/**
 * The inspector's store of positions and their records, and the fan-out to stream clients.
 * A replay fills it before serving; a live engine opens positions and pushes records into it
 * while pages watch — the page cannot tell the two apart.
 */
export class InspectionHub {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<HubListener>();

  /** Announces a position; throws if the id is already taken. */
  open(info: PositionInfo): void {
    if (this.entries.has(info.id))
      throw new Error(`inspector: position ${info.id} is already open`);
    this.entries.set(info.id, { info, records: [] });
    this.publish({ type: 'positionOpened', position: this.summaryOf(info.id) });
  }

  /**
   * Appends the position's next record and pushes it to every listener. Throws when the
   * position is unknown or the record's seq is not the next one: a gap would show a wrong
   * history.
   */
  record(positionId: string, record: InspectionRecord): void {
    const entry = this.entries.get(positionId);
    if (entry === undefined) throw new Error(`inspector: unknown position ${positionId}`);
    if (record.seq !== entry.records.length) {
      throw new Error(
        `inspector: position ${positionId} expected record ${entry.records.length}, got ${record.seq}`,
      );
    }
    entry.records.push(record);
    this.publish({ type: 'record', positionId, record });
  }

  /** Returns a tap sink that pushes a position's records into this hub. */
  sinkFor(positionId: string): InspectionSink {
    return (record) => this.record(positionId, record);
  }

  /** Adds a position replayed ahead of time, with all its records. */
  add(position: InspectedPosition): void {
    this.open(position.info);
    for (const record of position.records) this.record(position.info.id, record);
  }

  /** Returns the summaries of every position, in the order they were opened. */
  summaries(): PositionSummary[] {
    return [...this.entries.keys()].map((id) => this.summaryOf(id));
  }

  /** Returns a position's full history, or undefined for an unknown id. */
  history(positionId: string): HistoryResponse | undefined {
    const entry = this.entries.get(positionId);
    if (entry === undefined) return undefined;
    return { position: this.summaryOf(positionId), records: entry.records };
  }

  /** Registers a listener for future messages; returns the function that removes it. */
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private summaryOf(positionId: string): PositionSummary {
    const entry = this.entries.get(positionId);
    if (entry === undefined) throw new Error(`inspector: unknown position ${positionId}`);
    const last = entry.records.at(-1);
    return {
      ...entry.info,
      records: entry.records.length,
      status: last?.context.exit === null || last === undefined ? 'open' : 'exited',
      stop: last?.context.stop ?? null,
      lastTs: last?.context.lastTs ?? null,
    };
  }

  private publish(message: ServerMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
