import type {
  InspectedPosition,
  InspectionRecord,
  PositionInfo,
} from '../inspection/inspectionRecord.ts';
import type { InspectionSink } from '../inspection/inspectionTap.ts';
import type { SyncRecord } from '../machines/orderSyncTypes.ts';
import type {
  HistoryResponse,
  HubRetention,
  LiveSummary,
  PositionSummary,
  ServerMessage,
  SyncStep,
} from './protocol.ts';
import { RingBuffer } from './ringBuffer.ts';
import { syncTransitionIds } from './syncTransitions.ts';

interface Entry {
  readonly info: PositionInfo;
  readonly records: RingBuffer<InspectionRecord>;
  /** The seq the next record must carry: how many records the position ever had. */
  next: number;
  readonly syncSteps: RingBuffer<SyncStep>;
  syncNext: number;
  live: LiveSummary | null;
  closedAt: number | null;
}

/** What a live engine reports of one position after each committed step (its PositionStatus fits). */
export interface LiveStatus {
  readonly id: string;
  /** The order-sync machine's state. */
  readonly state: string;
  readonly desiredStop: string;
  readonly restingStop: string | null;
  readonly unprotectedMs: number;
  readonly gapMs: number;
  readonly lane: 'fast' | 'normal';
}

function isExited(entry: Entry): boolean {
  const last = entry.records.last();
  return last !== undefined && last.context.exit !== null;
}

/** Returns a region's state value as a dotted name: `{ trailing: 'normal' }` → `trailing.normal`. */
function dotted(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return '';
  const [key, child] = Object.entries(value)[0] ?? [];
  if (key === undefined) return '';
  const rest = dotted(child);
  return rest === '' ? key : `${key}.${rest}`;
}

/** Returns the position statechart's state in a word (see PositionSummary.state). */
function stateWord(record: InspectionRecord | undefined): string {
  if (record === undefined) return 'open';
  if (record.status === 'done' || record.context.exit !== null) return 'exited';
  const open = (record.value as { open?: Record<string, unknown> } | null)?.open;
  for (const region of ['distance', 'elastic', 'breakeven']) {
    const word = dotted(open?.[region]);
    if (word !== '' && word !== 'off') return word;
  }
  return 'open';
}

function sameLive(a: LiveSummary | null, b: LiveSummary): boolean {
  return (
    a !== null &&
    a.orderSync === b.orderSync &&
    a.lane === b.lane &&
    a.restingStop === b.restingStop &&
    a.unprotectedMs === b.unprotectedMs &&
    a.gapMs === b.gapMs
  );
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
 * while pages watch, and reports each position's exchange side after every committed step
 * (`committed`, `closed`: the engine's LiveInspection). Memory is bounded: each position keeps
 * its newest `recordsPerPosition` records and as many order-sync steps, and opening a position
 * beyond `positions` drops the oldest closed or exited one (the oldest open one when none has
 * ended).
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
      syncSteps: new RingBuffer(this.retention.recordsPerPosition),
      syncNext: 0,
      live: null,
      closedAt: null,
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

  /**
   * Takes a live position's report after a committed step: where its exchange stop rests and the
   * order-sync records the step produced. Keeps an order-sync step when the machine recorded
   * something or changed state, and tells the listeners when anything they show changed. An
   * unknown id is ignored (the position was dropped to make room).
   */
  committed(status: LiveStatus, records: readonly SyncRecord[]): void {
    const entry = this.entries.get(status.id);
    if (entry === undefined) return;
    const live: LiveSummary = {
      orderSync: status.state,
      lane: status.lane,
      restingStop: status.restingStop,
      unprotectedMs: status.unprotectedMs,
      gapMs: status.gapMs,
    };
    // The order-sync machine starts in `none`: the first report shows the way out of it.
    const from = entry.live?.orderSync ?? 'none';
    let step: SyncStep | null = null;
    if (records.length > 0 || from !== live.orderSync) {
      step = {
        seq: entry.syncNext++,
        at: entry.next - 1,
        ts: records.at(-1)?.ts ?? entry.records.last()?.context.lastTs ?? entry.info.openedAt,
        from,
        state: live.orderSync,
        active: ['orderSync', `orderSync.${live.orderSync}`],
        transitions: syncTransitionIds(from, live.orderSync),
        records: [...records],
        desiredStop: status.desiredStop,
        restingStop: live.restingStop,
        unprotectedMs: live.unprotectedMs,
      };
      entry.syncSteps.push(step);
    } else if (sameLive(entry.live, live)) {
      return;
    }
    entry.live = live;
    this.publish({ type: 'live', positionId: status.id, live, step });
  }

  /** Marks a live position closed at `ts`; it stays listed until dropped. Unknown ids are ignored. */
  closed(positionId: string, ts: number): void {
    const entry = this.entries.get(positionId);
    if (entry === undefined || entry.closedAt !== null) return;
    entry.closedAt = ts;
    this.publish({ type: 'positionClosed', positionId, closedAt: ts });
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
    return {
      position: this.summaryOf(positionId),
      records: entry.records.toArray(),
      syncSteps: entry.syncSteps.toArray(),
    };
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

  /** Returns the position to make room with: the oldest closed or exited one, else the oldest. */
  private evictable(): string {
    for (const [id, entry] of this.entries)
      if (entry.closedAt !== null || isExited(entry)) return id;
    return this.entries.keys().next().value ?? '';
  }

  private summaryOf(positionId: string): PositionSummary {
    const entry = this.entries.get(positionId);
    if (entry === undefined) throw new Error(`inspector: unknown position ${positionId}`);
    const last = entry.records.last();
    return {
      ...entry.info,
      symbol: entry.info.label.split(' ')[0] ?? entry.info.label,
      records: entry.next,
      firstSeq: entry.next - entry.records.length,
      status: entry.closedAt !== null ? 'closed' : isExited(entry) ? 'exited' : 'open',
      state: stateWord(last),
      desiredStop: last?.context.stop ?? null,
      restingStop: entry.live?.restingStop ?? null,
      unprotectedMs: entry.live?.unprotectedMs ?? 0,
      lastPrice: last?.context.lastPrice ?? null,
      lastTs: last?.context.lastTs ?? null,
      live: entry.live,
      closedAt: entry.closedAt,
      syncSteps: entry.syncNext,
    };
  }

  private publish(message: ServerMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
