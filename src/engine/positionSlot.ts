import { createActor, type Actor } from 'xstate';
import type { PositionEvent, Side } from '../domain/types.ts';
import { orderSyncMachine } from '../machines/orderSyncMachine.ts';
import {
  SYNC_COMMAND_TYPES,
  type OrderSyncInput,
  type SyncCommand,
  type SyncEvent,
  type SyncRecord,
} from '../machines/orderSyncTypes.ts';
import type { ClockEvent, PriceEvent } from '../machines/positionEvents.ts';
import { positionMachine } from '../machines/positionMachine.ts';
import type { PositionContext, PositionInput } from '../machines/positionContext.ts';
import type { InspectionTap } from '../inspection/inspectionTap.ts';
import type {
  CheckpointSink,
  JournalEntry,
  PersistedPositionSnapshot,
} from '../store/checkpoint.ts';

/** Where a live position's two snapshots are kept: the position's id, and this suffix for its sync machine. */
export const SYNC_SUFFIX = '/sync';

/** What identifies a live position and its market, stored with its snapshots. */
export interface SlotMeta {
  readonly positionId: string;
  /** The venue's market id, e.g. BTCUSDT. */
  readonly symbol: string;
  /** The symbol the price client expects, e.g. BTC/USDT:USDT. */
  readonly unified: string;
  readonly side: Side;
  readonly venue: string;
}

/** An input of a slot: a price or the time for the position machine, or a venue answer for the sync machine. */
export type SlotInput =
  | { readonly to: 'position'; readonly event: PriceEvent | ClockEvent }
  | { readonly to: 'sync'; readonly event: SyncEvent };

/** A journal line of either machine, as a slot reports it after it is committed. */
export type SlotRecord =
  | { readonly machine: 'position'; readonly record: PositionEvent }
  | { readonly machine: 'sync'; readonly record: SyncRecord };

/** What a slot needs from the engine. */
export interface SlotDeps {
  readonly sink: CheckpointSink;
  /** Performs a command and resolves with the answer (never rejects). */
  readonly execute: (meta: SlotMeta, command: SyncCommand) => Promise<SyncEvent>;
  /** Sees the records of every committed step, in order. */
  readonly onCommitted?: (slot: PositionSlot, records: readonly SlotRecord[]) => void;
  /** The store refused a write: the slot stops (sending nothing unrecorded). */
  readonly onHalted: (slot: PositionSlot, error: unknown) => void;
  /** The sync machine finished: the position is flat and none of our stops is left. */
  readonly onDone: (slot: PositionSlot) => void;
  /** Sees how long each price took from arrival to its committed decision (seconds). */
  readonly onDecided?: (seconds: number) => void;
  /** While true, new desired stops are not passed on: the resting stops stay where they are. */
  readonly paused?: () => boolean;
}

type PositionActor = Actor<typeof positionMachine>;
type SyncActor = Actor<typeof orderSyncMachine>;

/**
 * One live position: its position machine (where the stop belongs) and its order-sync machine
 * (how the exchange's stop follows), stepped one input at a time. Each step's snapshots and
 * journal lines are committed in one batch before the command it produced is sent, so a crash
 * between the two leaves a record that reconciliation resolves. Commands run one at a time (the
 * sync machine issues the next only after the answer to the last).
 */
export class PositionSlot {
  private readonly queue: SlotInput[] = [];
  /** When each queued input arrived (performance.now()), in queue order. */
  private readonly arrivals: number[] = [];
  private pumping: Promise<void> | null = null;
  private inflight: Promise<void> | null = null;
  private positionSeq: number;
  private syncSeq: number;
  private halted = false;
  private finished = false;
  private readonly positionOut: PositionEvent[] = [];
  private readonly syncOut: SyncRecord[] = [];

  private constructor(
    readonly meta: SlotMeta,
    private readonly position: PositionActor,
    private readonly sync: SyncActor,
    seqs: { position: number; sync: number },
    private readonly deps: SlotDeps,
    tap?: InspectionTap,
  ) {
    tap?.attach(position);
    this.positionSeq = seqs.position;
    this.syncSeq = seqs.sync;
    position.on('*', (e) => this.positionOut.push(e));
    sync.on('*', (r) => this.syncOut.push(r));
    // An action that throws puts an actor in status 'error'; without an observer XState would
    // rethrow out of band. The status is checked after every step.
    position.subscribe({ error: () => undefined });
    sync.subscribe({ error: () => undefined });
  }

  /** Returns a slot for a position the engine meets for the first time; call `start` next. */
  static create(
    meta: SlotMeta,
    input: PositionInput,
    sync: OrderSyncInput,
    deps: SlotDeps,
    tap?: InspectionTap,
  ): PositionSlot {
    return new PositionSlot(
      meta,
      createActor(positionMachine, {
        input: { ...input, id: meta.positionId },
        ...(tap === undefined ? {} : { inspect: tap.inspect }),
      }),
      createActor(orderSyncMachine, { input: sync }),
      { position: 0, sync: 0 },
      deps,
      tap,
    );
  }

  /** Returns a slot resumed from its two committed snapshots and journal positions. */
  static restore(
    meta: SlotMeta,
    saved: {
      position: { snapshot: PersistedPositionSnapshot; seq: number };
      sync: { snapshot: PersistedPositionSnapshot; seq: number };
    },
    deps: SlotDeps,
    tap?: InspectionTap,
  ): PositionSlot {
    return new PositionSlot(
      meta,
      createActor(positionMachine, {
        snapshot: saved.position.snapshot,
        input: undefined as unknown as PositionInput,
        ...(tap === undefined ? {} : { inspect: tap.inspect }),
      }),
      createActor(orderSyncMachine, {
        snapshot: saved.sync.snapshot,
        input: undefined as unknown as OrderSyncInput,
      }),
      { position: saved.position.seq, sync: saved.sync.seq },
      deps,
      tap,
    );
  }

  /** Starts both actors and commits what they say on start (a new position's `opened`). */
  async start(first?: SyncEvent): Promise<void> {
    this.position.start();
    this.sync.start();
    // The exchange's truth first: a desired stop decided before it would place a stop the
    // reconciliation then voids.
    if (first !== undefined) this.sync.send(first);
    this.forward();
    await this.commitAndSend();
  }

  /** The position machine's context (its desired stop is `stop`). */
  get positionContext(): PositionContext {
    return this.position.getSnapshot().context;
  }

  /** The sync machine's snapshot (state and context). */
  get syncSnapshot() {
    return this.sync.getSnapshot();
  }

  /** Whether the position machine still takes prices. */
  get positionActive(): boolean {
    return this.position.getSnapshot().status === 'active';
  }

  /** Whether the slot no longer steps (finished, or halted by a store failure). */
  get stopped(): boolean {
    return this.finished || this.halted;
  }

  /** Whether a command is in flight or inputs wait. */
  get busy(): boolean {
    return this.inflight !== null || this.queue.length > 0 || this.pumping !== null;
  }

  /** Queues an input; inputs are stepped in arrival order. */
  send(input: SlotInput): void {
    if (this.stopped) return;
    if (input.to === 'position' && !this.positionActive) return;
    this.queue.push(input);
    this.arrivals.push(performance.now());
    this.pumping ??= this.pump().finally(() => {
      this.pumping = null;
    });
  }

  /** Resolves when no input waits and no command is in flight. */
  async settled(): Promise<void> {
    while (this.pumping !== null || this.inflight !== null) {
      await Promise.all([this.pumping, this.inflight]);
    }
  }

  /** Stops both actors (their last committed snapshots stay in the store). */
  dispose(): void {
    this.finished = true;
    this.queue.length = 0;
    this.arrivals.length = 0;
    this.position.stop();
    this.sync.stop();
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const input = this.queue.shift() as SlotInput;
      const arrived = this.arrivals.shift() ?? performance.now();
      if (input.to === 'position') {
        if (this.positionActive) this.position.send(input.event);
      } else {
        this.sync.send(input.event);
      }
      this.forward();
      await this.commitAndSend();
      if (input.event.type === 'PRICE') this.deps.onDecided?.((performance.now() - arrived) / 1000);
    }
  }

  /** Hands the position machine's decisions to the sync machine, within the same step. */
  private forward(): void {
    for (let i = 0; i < this.positionOut.length; i++) {
      const e = this.positionOut[i] as PositionEvent;
      if (this.sync.getSnapshot().status !== 'active') break;
      const moves = this.deps.paused?.() !== true;
      if (e.type === 'opened' || e.type === 'stopMoved') {
        if (moves) this.sync.send({ type: 'DESIRED', ts: e.ts, stop: e.stop });
      } else if (e.type === 'exited')
        this.sync.send({ type: 'EXIT', ts: e.ts, price: e.price, stop: e.stop });
    }
  }

  private async commitAndSend(): Promise<void> {
    if (
      this.position.getSnapshot().status === 'error' ||
      this.sync.getSnapshot().status === 'error'
    ) {
      const error = this.position.getSnapshot().error ?? this.sync.getSnapshot().error;
      this.halted = true;
      this.deps.onHalted(this, error);
      return;
    }
    const positionEvents = this.positionOut.splice(0);
    const syncRecords = this.syncOut.splice(0);
    const id = this.meta.positionId;
    const source = JSON.stringify(this.meta);
    const positionEntries: JournalEntry[] = positionEvents.map((event) => ({
      positionId: id,
      seq: ++this.positionSeq,
      event,
    }));
    const syncEntries: JournalEntry[] = syncRecords.map((event) => ({
      positionId: id + SYNC_SUFFIX,
      seq: ++this.syncSeq,
      event: event as unknown as PositionEvent,
    }));
    try {
      await this.deps.sink.commit([
        {
          positionId: id,
          seq: this.positionSeq,
          cursor: 0,
          source,
          snapshot: this.position.getPersistedSnapshot(),
          entries: positionEntries,
        },
        {
          positionId: id + SYNC_SUFFIX,
          seq: this.syncSeq,
          cursor: 0,
          source,
          snapshot: this.sync.getPersistedSnapshot(),
          entries: syncEntries,
        },
      ]);
    } catch (error) {
      this.halted = true;
      this.deps.onHalted(this, error);
      return;
    }
    this.deps.onCommitted?.(this, [
      ...positionEvents.map((record) => ({ machine: 'position' as const, record })),
      ...syncRecords.map((record) => ({ machine: 'sync' as const, record })),
    ]);
    // Several commands in one step means later events voided the earlier ones (a reconciliation):
    // only the one the machine now waits for is sent.
    const inflight = this.sync.getSnapshot().context.inflight;
    if (inflight !== null && syncRecords.some(isCommand)) {
      const last = syncRecords.filter(isCommand).at(-1);
      if (last !== undefined && JSON.stringify(stripTs(last)) === JSON.stringify(inflight))
        this.dispatch(inflight);
    }
    if (this.sync.getSnapshot().status === 'done' && !this.finished) {
      this.finished = true;
      this.deps.onDone(this);
    }
  }

  private dispatch(command: SyncCommand): void {
    this.inflight = this.deps.execute(this.meta, command).then((answer) => {
      this.inflight = null;
      this.send({ to: 'sync', event: answer });
    });
  }
}

function isCommand(r: SyncRecord): r is SyncCommand & SyncRecord & { ts: number } {
  return SYNC_COMMAND_TYPES.has(r.type);
}

function stripTs(r: SyncCommand & { ts: number }): SyncCommand {
  const command: Partial<typeof r> = { ...r };
  delete command.ts;
  return command as SyncCommand;
}
