import type {
  InspectedPosition,
  InspectionRecord,
  PositionInfo,
} from '../inspection/inspectionRecord.ts';
import type { InspectionSink } from '../inspection/inspectionTap.ts';
import type { HistoryResponse, HubRetention, PositionSummary, ServerMessage } from './protocol.ts';
import { RingBuffer } from './ringBuffer.ts';

interface Entry {
  readonly info: PositionInfo;
  readonly records: RingBuffer<InspectionRecord>;
  /** The seq the next record must carry: how many records the position ever had. */
  next: number;
}

function isExited(entry: Entry): boolean {
  const last = entry.records.last();
  return last !== undefined && last.context.exit !== null;
}

/** Receives every message the hub publishes. */
export type HubListener = (message: ServerMessage) => void;

/** Records kept per position unless told otherwise: a day of one-minute candles, and more. */
export const DEFAULT_RECORDS_PER_POSITION = 2000;
/** Positions kept unless told otherwise. */
export const DEFAULT_POSITIONS = 50;

/**
 * The inspector's store of positions and their records, and the fan-out to stream clients.
 * A replay fills it before serving; a live engine opens positions and pushes records into it
 * while pages watch — the page cannot tell the two apart. Memory is bounded: each position
 * keeps its newest `recordsPerPosition` records, and opening a position beyond `positions`
 * drops the oldest exited one (the oldest open one when none has exited).
 */
export class InspectionHub {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<HubListener>();
  readonly retention: HubRetention;

  constructor(retention: Partial<HubRetention> = {}) {
    this.retention = {
      recordsPerPosition: retention.recordsPerPosition ?? DEFAULT_RECORDS_PER_POSITION,
      positions: retention.positions ?? DEFAULT_POSITIONS,
    };
    const { recordsPerPosition, positions } = this.retention;
    for (const [name, value] of Object.entries({ recordsPerPosition, positions })) {
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`inspector: ${name} must be a whole number ≥ 1, got ${value}`);
    }
  }

  /** Announces a position, dropping one first when the hub is full; throws if the id is taken. */
  open(info: PositionInfo): void {
    if (this.entries.has(info.id))
      throw new Error(`inspector: position ${info.id} is already open`);
    if (this.entries.size >= this.retention.positions) this.drop(this.evictable());
    this.entries.set(info.id, {
      info,
      records: new RingBuffer(this.retention.recordsPerPosition),
      next: 0,
    });
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
    this.append(positionId, entry, record);
  }

  /**
   * Returns a tap sink that pushes a position's records into this hub. The position must be
   * open by its first record; once the position is dropped, its later records are discarded.
   */
  sinkFor(positionId: string): InspectionSink {
    let bound: Entry | undefined;
    return (record) => {
      bound ??= this.entries.get(positionId);
      if (bound === undefined) throw new Error(`inspector: unknown position ${positionId}`);
      if (this.entries.get(positionId) !== bound) return;
      this.append(positionId, bound, record);
    };
  }

  /** Adds a position replayed ahead of time, with all its records (the newest, when too many). */
  add(position: InspectedPosition): void {
    this.open(position.info);
    for (const record of position.records) this.record(position.info.id, record);
  }

  /** Forgets a position and tells the listeners; returns false when the id is unknown. */
  drop(positionId: string): boolean {
    if (!this.entries.delete(positionId)) return false;
    this.publish({ type: 'positionDropped', positionId });
    return true;
  }

  /** Returns the summaries of every position, in the order they were opened. */
  summaries(): PositionSummary[] {
    return [...this.entries.keys()].map((id) => this.summaryOf(id));
  }

  /** Returns a position's retained history, oldest first, or undefined for an unknown id. */
  history(positionId: string): HistoryResponse | undefined {
    const entry = this.entries.get(positionId);
    if (entry === undefined) return undefined;
    return { position: this.summaryOf(positionId), records: entry.records.toArray() };
  }

  /** Registers a listener for future messages; returns the function that removes it. */
  subscribe(listener: HubListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(positionId: string, entry: Entry, record: InspectionRecord): void {
    if (record.seq !== entry.next) {
      throw new Error(
        `inspector: position ${positionId} expected record ${entry.next}, got ${record.seq}`,
      );
    }
    entry.records.push(record);
    entry.next++;
    this.publish({ type: 'record', positionId, record });
  }

  /** Returns the position to make room with: the oldest exited one, else the oldest. */
  private evictable(): string {
    for (const [id, entry] of this.entries) if (isExited(entry)) return id;
    return this.entries.keys().next().value ?? '';
  }

  private summaryOf(positionId: string): PositionSummary {
    const entry = this.entries.get(positionId);
    if (entry === undefined) throw new Error(`inspector: unknown position ${positionId}`);
    const last = entry.records.last();
    return {
      ...entry.info,
      records: entry.next,
      firstSeq: entry.next - entry.records.length,
      status: isExited(entry) ? 'exited' : 'open',
      stop: last?.context.stop ?? null,
      lastTs: last?.context.lastTs ?? null,
    };
  }

  private publish(message: ServerMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
