import { Decimal } from 'decimal.js';
import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import type { EngineConfig } from '../config/engineConfigSchema.ts';
import type { Policy, PositionEvent } from '../domain/types.ts';
import type { PositionInfo } from '../inspection/inspectionRecord.ts';
import {
  createInspectionTap,
  type InspectionSink,
  type InspectionTap,
} from '../inspection/inspectionTap.ts';
import type { ProtectionSettings, SyncEvent, SyncRecord } from '../machines/orderSyncTypes.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import type { CheckpointSink, JournalEntry } from '../store/checkpoint.ts';
import type { SnapshotEnvelope } from '../store/envelope.ts';
import { migrateEnvelope } from '../store/migrations.ts';
import { snapshotKey } from '../store/storeKeys.ts';
import { ccxtWatchSource } from '../streams/ccxtWatchSource.ts';
import { FallbackSource } from '../streams/fallbackSource.ts';
import { lane, type LaneName, type LanePosition } from '../streams/lane.ts';
import type { PriceSource } from '../streams/priceSource.ts';
import { restPollingSource } from '../streams/restPollingSource.ts';
import { validatedSource } from '../streams/validateTicks.ts';
import {
  VenueError,
  type AccountEvent,
  type Venue,
  type VenueMarket,
  type VenuePosition,
  type VenueStopOrder,
} from '../venues/port.ts';
import type { RatchetMetrics } from '../telemetry/createMetrics.ts';
import { DrawdownTracker } from '../telemetry/drawdownTracker.ts';
import { clientIdStem } from './clientIds.ts';
import { CircuitBreaker } from './circuitBreaker.ts';
import { PositionSlot, SYNC_SUFFIX, type SlotMeta, type SlotRecord } from './positionSlot.ts';
import { reconcilePlan, stopRef, type HeldPosition } from './reconcilePlan.ts';
import { VenueExecutor } from './venueExecutor.ts';

/** The store the engine writes to: checkpoints, and the envelopes it resumes from. */
export interface EngineStore extends CheckpointSink {
  listEnvelopes(): Promise<{ envelopes: SnapshotEnvelope[] }>;
  putRaw(key: string, text: string): Promise<void>;
  getRaw(key: string): Promise<string | undefined>;
  append(entries: readonly JournalEntry[], raw?: Readonly<Record<string, string>>): Promise<void>;
}

/** Why the engine holds its stops where they are, since when. */
export interface PauseState {
  readonly since: number;
  readonly reason: string;
}

const PAUSE_KEY = 'engine/paused';
const ENGINE_SEQ_KEY = 'engine/journalSeq';
/** The journal id of the engine's own decisions (control actions, the drawdown breaker). */
export const ENGINE_JOURNAL_ID = 'engine';

/** A control action as the engine journals it. */
export type ControlRecord =
  | { readonly type: 'paused'; readonly ts: number; readonly reason: string }
  | { readonly type: 'resumed'; readonly ts: number; readonly pausedSince: number }
  | {
      readonly type: 'flattenRequested';
      readonly ts: number;
      readonly reason: string;
      readonly positions: readonly string[];
    };

/** Where live positions' steps go to be inspected (the inspector's hub fits). */
export interface LiveInspection {
  open(info: PositionInfo): void;
  sinkFor(positionId: string): InspectionSink;
  /** Sees, after every committed step, where the position stands and the order-sync records of the step. */
  committed?(status: PositionStatus, records: readonly SyncRecord[]): void;
  /** Sees a position whose actors ended (flat, no stop of ours left), at the engine's time `ts`. */
  closed?(positionId: string, ts: number): void;
}

/** Options of {@link LiveEngine} beyond the config. */
export interface LiveEngineOptions {
  readonly venue: Venue;
  readonly store: EngineStore;
  readonly config: EngineConfig;
  readonly logger: Logger;
  /** The wall clock (ms); the venue's offset is added. Default Date.now. */
  readonly wallClock?: () => number;
  /** Shortest and longest time between two REST reconciliations. */
  readonly reconcileMinMs?: number;
  readonly reconcileMaxMs?: number;
  /** Exit grace and retry settings of the sync machines (the config's protection block fills the rest). */
  readonly exitGraceMs?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** Sees every committed step of every position (the inspector's feed). */
  readonly onCommitted?: (slot: PositionSlot, records: readonly SlotRecord[]) => void;
  /**
   * The drawdown breaker: when the account's equity falls `maxDrawdownPercent` below its peak
   * within `windowMs`, pause (or flatten) once and stay so until `resume`.
   */
  readonly risk?: {
    readonly maxDrawdownPercent: string;
    readonly windowMs: number;
    readonly action: 'pause' | 'flatten';
  };
  /** Records every step of every position machine for the inspector. */
  readonly inspection?: LiveInspection;
  /** Sees every position whose actors ended (flat, no stop of ours left). */
  readonly onClosed?: (slot: PositionSlot) => void;
  /**
   * Something an operator must hear about (alerts, halts, circuit changes); `key` groups
   * repeats of one problem so the alerter can deduplicate them.
   */
  readonly onAlert?: (message: string, key: string) => void;
  /** Prometheus metrics to keep (src/telemetry/createMetrics). */
  readonly metrics?: RatchetMetrics;
  /** When the engine's own watch raises an alert (the config's `alerts.thresholds`). */
  readonly alertThresholds?: {
    readonly unprotectedSeconds: number;
    readonly feedFallbackSeconds: number;
    readonly decisionSeconds: number;
    readonly missedExitSeconds: number;
  };
  /** The logger of one symbol's lines (per-symbol files); default: the root logger. */
  readonly symbolLogger?: (symbol: string) => Logger;
}

/** One position as `status()` reports it. */
export interface PositionStatus {
  readonly id: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** The order-sync state: none, placing, resting, replacing, cancelling, unknown, closing. */
  readonly state: string;
  readonly desiredStop: string;
  readonly restingStop: string | null;
  readonly unprotectedMs: number;
  readonly gapMs: number;
  /** The lane its prices ride: fast while in profit, normal otherwise. */
  readonly lane: LaneName;
}

/** What start-up found and did. */
export interface StartReport {
  readonly resumed: number;
  readonly opened: number;
  readonly closedWhileDown: number;
  readonly orphansCancelled: number;
  readonly foreign: number;
}

const LIVE_VERSION = 1;

/**
 * The live engine: one position actor and one order-sync actor per open exchange position,
 * kept in step with the exchange by its user-data stream and by REST reconciliation (at start,
 * after every reconnect, and on an adaptive interval). Prices reach each position through its
 * lane; CLOCK ticks every `lanes.clockPeriodMs`. Crash-only: `start` always loads what the
 * store holds and reconciles before acting on any price.
 */
export class LiveEngine {
  private readonly slots = new Map<string, PositionSlot>();
  private readonly feeds = new Map<string, Subscription>();
  private readonly lanes = new Map<string, LaneName>();
  private readonly executor: VenueExecutor;
  private readonly prices: PriceSource;
  private readonly fallback: FallbackSource;
  private markets: ReadonlyMap<string, VenueMarket> = new Map();
  private offset = 0;
  private lastNow = 0;
  private resyncing: Promise<void> | null = null;
  /** The look at the exchange each flat position's leftovers wait for (until it is done). */
  private readonly flatChecks = new Map<string, Promise<void>>();
  /** Leftover cancels waiting for a newer position's first placement to be answered. */
  private readonly placementWaiters = new Set<() => void>();
  private clockTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconcileDelay: number;
  private reconciling: Promise<void> | null = null;
  private stopAccount: (() => void) | undefined;
  private stopping = false;
  private halted = false;
  private pausedState: PauseState | null = null;
  private engineSeq = 0;
  /** Symbols whose prices come from REST polling, since when (wall clock). */
  private readonly onRest = new Map<string, number>();
  /** Per position: when its price was first seen past the resting stop with the position open. */
  private readonly crossedSince = new Map<string, number>();
  /**
   * Positions the account stream reported closed, marked at once: the slot learns it only when
   * its queue reaches the event, and a position reopened meanwhile must not be taken for it.
   */
  private readonly seenFlat = new Set<string>();
  /** Per position: the last price its lane delivered. */
  private readonly lastPrices = new Map<string, string>();
  /** Per position: how it is closing, for `ratchet_exits_total`. */
  private readonly exitReasons = new Map<string, string>();
  private drawdown: DrawdownTracker | undefined;
  private readonly log: Logger;

  constructor(private readonly options: LiveEngineOptions) {
    this.log = options.logger;
    const { venue, config } = options;
    this.reconcileDelay = options.reconcileMinMs ?? 6000;
    this.executor = new VenueExecutor(venue, {
      workingType: config.protection.workingType,
      now: () => this.now(),
      breaker: new CircuitBreaker({
        failuresToOpen: 5,
        firstOpenMs: 2_000,
        openMs: 30_000,
        onChange: (open, reason) =>
          this.alert(
            open
              ? `circuit opened for ${venue.id}: calls paused, resting stops stay (${reason})`
              : `circuit closed for ${venue.id}: ${reason}`,
            'circuit',
          ),
      }),
      onAnswered: (command, kind, seconds) => {
        this.options.metrics?.countExchangeRequest(command.type, kind);
        if (kind === undefined) this.options.metrics?.observeOrderAckSeconds(seconds);
      },
      onFailure: (command, error) => {
        this.log.warn(
          { command: command.type, kind: error.kind, err: error.message },
          'venue call failed',
        );
        if (error.kind === 'clockSkew') void this.resyncClock();
      },
    });
    const lanes = config.lanes;
    const pick = lanes.priceSource;
    this.fallback = new FallbackSource(
      ccxtWatchSource(venue.prices, { watch: pick }),
      restPollingSource(venue.prices, {
        intervalMs: lanes.pollIntervalMs,
        ...(pick === 'markPrice' ? { pick: (t) => t.markPrice ?? t.last } : {}),
      }),
      { maxPriceAgeMs: lanes.maxPriceAgeMs, backoff: lanes.backoff },
    );
    this.fallback.switches$.subscribe((s) => {
      this.log.info({ symbol: s.symbol, to: s.to, reason: s.reason }, 'price feed switched');
      if (s.to === 'rest') {
        this.options.metrics?.countFeedFallback();
        this.onRest.set(s.symbol, s.ts);
      } else {
        this.onRest.delete(s.symbol);
      }
    });
    this.prices = validatedSource(this.fallback, {
      onRejected: (r) => {
        this.options.metrics?.countRejectedTick();
        this.log.debug({ symbol: r.symbol, why: r.why, price: r.price }, 'tick rejected');
      },
    });
  }

  /**
   * The engine's time: the wall clock corrected by the venue's offset, never earlier than a
   * time it gave before (a resync may move the offset back).
   */
  now(): number {
    this.lastNow = Math.max(this.lastNow, (this.options.wallClock ?? Date.now)() + this.offset);
    return this.lastNow;
  }

  /**
   * Measures the venue's clock again after it refused a timestamp (-1021: its clock moved
   * against ours): the adapter signs with the new offset from then on. One at a time.
   */
  private resyncClock(): Promise<void> {
    this.resyncing ??= this.options.venue
      .fetchTime()
      .then((venueTime) => {
        const offset = venueTime - (this.options.wallClock ?? Date.now)();
        this.log.warn(
          { offsetMs: offset, previousMs: this.offset },
          'the venue refused our timestamp: its clock offset is measured again',
        );
        this.offset = offset;
      })
      .catch((error: unknown) =>
        this.log.warn(
          { err: String(error) },
          'the venue clock could not be read; retried on the next refusal',
        ),
      )
      .finally(() => {
        this.resyncing = null;
      });
    return this.resyncing;
  }

  /** Counts of venue calls by command and of failures by command and class. */
  get requestCounts() {
    return this.executor.counters;
  }

  /**
   * Loads every unfinished position from the store, reconciles with the exchange, starts the
   * streams; resolves when every position has its first step committed. Rejects (a VenueError)
   * when the venue cannot be reached.
   */
  async start(): Promise<StartReport> {
    const { venue } = this.options;
    const venueTime = await this.patiently('fetchTime', () => venue.fetchTime());
    this.offset = venueTime - (this.options.wallClock ?? Date.now)();
    this.markets = await this.patiently('loadMarkets', () => venue.loadMarkets());
    const pause = await this.options.store.getRaw(PAUSE_KEY);
    this.engineSeq = Number((await this.options.store.getRaw(ENGINE_SEQ_KEY)) ?? '0');
    this.pausedState = pause === undefined ? null : (JSON.parse(pause) as PauseState | null);
    if (this.pausedState !== null)
      this.log.warn(
        this.pausedState,
        'starting paused: stops stay where they rest until ratchet resume',
      );
    const restored = await this.restoreSlots();
    const [positions, stops] = await this.patiently('fetchPositions', () =>
      Promise.all([venue.fetchPositions(), venue.fetchOpenStops(this.options.config.symbols)]),
    );
    const plan = reconcilePlan(
      restored.map((s) => this.held(s)),
      positions.filter((p) => this.wanted(p.symbol)),
      stops,
      this.options.config.clientIdPrefix,
      true,
    );
    const ts = this.now();
    let closedWhileDown = 0;
    for (const truth of plan.held) {
      const slot = restored.find((s) => s.meta.positionId === truth.positionId) as PositionSlot;
      if (truth.position === null) closedWhileDown += 1;
      this.slots.set(slot.meta.positionId, slot);
      await slot.start({
        type: 'RECONCILED',
        ts,
        quantity: truth.position?.quantity ?? null,
        stops: truth.stops.map(stopRef),
        restart: true,
      });
      this.log.info(
        {
          position: slot.meta.positionId,
          open: truth.position !== null,
          stops: truth.stops.length,
        },
        truth.position === null
          ? 'position closed while down: cancelling its stops'
          : 'position resumed',
      );
    }
    for (const { position, stops: adopted } of plan.opened) {
      await this.open(position, adopted);
    }
    for (const orphan of plan.orphans) await this.cancelOrphan(orphan);
    for (const other of plan.foreign) {
      this.log.info(
        { symbol: other.symbol, clientId: other.clientId, stop: other.stopPrice },
        'order not ours: left alone',
      );
    }
    await this.checkDrawdown();
    this.stopAccount = venue.watchAccount(
      (event) => this.onAccount(event),
      (error) => this.alert(`the account stream ended: ${error.message}`, 'accountStream'),
    );
    for (const slot of this.slots.values()) this.feed(slot);
    this.clockTimer = setInterval(() => this.tick(), this.options.config.lanes.clockPeriodMs);
    this.scheduleReconcile();
    return {
      resumed: plan.held.length - closedWhileDown,
      opened: plan.opened.length,
      closedWhileDown,
      orphansCancelled: plan.orphans.length,
      foreign: plan.foreign.length,
    };
  }

  /**
   * Stops taking prices and account events, lets every command in flight finish (bounded by
   * `graceMs`), and leaves every stop resting. The store holds each position's last step.
   */
  async stop(graceMs = 10_000): Promise<{ settled: boolean; positions: number }> {
    this.stopping = true;
    this.wakePlacementWaiters();
    clearInterval(this.clockTimer);
    clearTimeout(this.reconcileTimer);
    this.stopAccount?.();
    for (const sub of this.feeds.values()) sub.unsubscribe();
    this.feeds.clear();
    let timer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.all([...this.slots.values()].map((s) => s.settled())).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    await this.reconciling;
    const positions = this.slots.size;
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
    return { settled, positions };
  }

  /** Whether moves are paused, why and since when (null: running). */
  get paused(): PauseState | null {
    return this.pausedState;
  }

  /**
   * Stops moving stops: the resting ones stay where they are (a virtual-stop exit still closes
   * at market: it only ever protects). Persisted: a restart stays paused until `resume`.
   */
  async pause(reason: string): Promise<PauseState> {
    if (this.pausedState === null) {
      const state = { since: this.now(), reason };
      await this.journal({ type: 'paused', ts: state.since, reason }, state);
      this.pausedState = state;
      this.alert(
        `paused (${reason}): resting stops stay where they are until ratchet resume`,
        'paused',
      );
    }
    return this.pausedState;
  }

  /** Moves stops again: each position's sync machine is given its current desired stop. */
  async resume(): Promise<void> {
    if (this.pausedState === null) return;
    await this.journal(
      { type: 'resumed', ts: this.now(), pausedSince: this.pausedState.since },
      null,
    );
    this.pausedState = null;
    // The breaker measures afresh from here: the loss that tripped it is acknowledged.
    this.drawdown = undefined;
    this.alert('resumed: stops follow their positions again', 'resumed');
    const ts = this.now();
    for (const slot of this.slots.values()) {
      if (slot.positionActive)
        slot.send({ to: 'sync', event: { type: 'DESIRED', ts, stop: slot.positionContext.stop } });
    }
  }

  /** Closes every managed position at market and leaves the engine paused. */
  async flatten(reason: string): Promise<number> {
    await this.pause(reason);
    const ts = this.now();
    await this.journal({
      type: 'flattenRequested',
      ts,
      reason,
      positions: [...this.slots.keys()],
    });
    for (const slot of this.slots.values())
      slot.send({ to: 'sync', event: { type: 'CLOSE', ts, reason } });
    this.alert(`flatten (${reason}): closing ${this.slots.size} position(s) at market`, 'flatten');
    return this.slots.size;
  }

  /** Every live position with its desired and resting stop. */
  status(): PositionStatus[] {
    return [...this.slots.values()].map((slot) => this.statusOf(slot));
  }

  private statusOf(slot: PositionSlot): PositionStatus {
    const sync = slot.syncSnapshot;
    const c = sync.context;
    const openFor = c.unprotectedSince === null ? 0 : Math.max(0, this.now() - c.unprotectedSince);
    return {
      id: slot.meta.positionId,
      symbol: slot.meta.symbol,
      side: slot.meta.side,
      state: String(sync.value),
      desiredStop: slot.positionContext.stop,
      restingStop: c.resting?.stopPrice ?? null,
      unprotectedMs: c.unprotectedMs + openFor,
      gapMs: c.gapMs,
      lane: this.lanes.get(slot.meta.positionId) ?? 'normal',
    };
  }

  /** Resolves when no position has a command in flight or inputs waiting. */
  async settled(): Promise<void> {
    while ([...this.slots.values()].some((s) => s.busy)) {
      await Promise.all([...this.slots.values()].map((s) => s.settled()));
    }
  }

  /** Reconciles with the exchange now (also what a reconnect triggers). */
  reconcileNow(): Promise<void> {
    this.reconciling ??= this.reconcile().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  /** The id of the actor pair of `position`: venue, symbol, side and opening time. */
  private positionIdOf(position: VenuePosition): string {
    return `${this.options.venue.id}:${position.symbol}:${position.side}:${position.openedAt}`;
  }

  private wanted(symbol: string): boolean {
    const only = this.options.config.symbols;
    return only === undefined || only.includes(symbol);
  }

  private held(slot: PositionSlot): HeldPosition {
    return {
      positionId: slot.meta.positionId,
      symbol: slot.meta.symbol,
      side: slot.meta.side,
      stem: slot.syncSnapshot.context.clientIdStem,
      entryPrice: slot.positionContext.position.entryPrice,
      flat: this.seenFlat.has(slot.meta.positionId),
      fired: slot.syncSnapshot.context.fired,
    };
  }

  private settings(): ProtectionSettings {
    const p = this.options.config.protection;
    return {
      minIntervalMs: p.minIntervalSeconds * 1000,
      minImprovementPercent: p.minImprovementPercent,
      emergencyPercent: p.emergencyPercent,
      exitGraceMs: this.options.exitGraceMs ?? 5000,
      retryBaseMs: this.options.retryBaseMs ?? 500,
      retryMaxMs: this.options.retryMaxMs ?? 30_000,
      alertAfterFailures: 3,
      atomicAmend: this.options.venue.capabilities.atomicStopAmend,
    };
  }

  private policyFor(symbol: string): Policy {
    return this.options.config.policies[symbol] ?? this.options.config.policy;
  }

  private slotDeps() {
    return {
      sink: this.options.store,
      execute: async (
        meta: SlotMeta,
        command: Parameters<VenueExecutor['run']>[2],
      ): Promise<SyncEvent> => {
        if (command.type === 'cancelStop') await this.successorPlaced(meta);
        return this.halted
          ? {
              type: 'FAILED',
              ts: this.now(),
              kind: 'circuitOpen',
              message: 'the engine is halted',
              retryAfterMs: 60_000,
            }
          : this.executor.run(meta.symbol, meta.side, command);
      },
      onCommitted: (slot: PositionSlot, records: readonly SlotRecord[]) => {
        this.wakePlacementWaiters();
        // Every decision goes to the symbol's own log (debug), and the notable ones to the root.
        const symbolLog = this.options.symbolLogger?.(slot.meta.symbol);
        for (const r of records) {
          symbolLog?.debug(
            { position: slot.meta.positionId, machine: r.machine, ...r.record },
            r.record.type,
          );
          if (r.machine === 'sync' && r.record.type === 'alert')
            this.alert(r.record.message, `${r.record.reason}:${slot.meta.symbol}`);
          this.countOutcome(slot, r);
          if (r.machine === 'sync' || r.record.type === 'exited' || r.record.type === 'opened')
            this.log.info({ position: slot.meta.positionId, ...r.record }, r.record.type);
        }
        this.options.onCommitted?.(slot, records);
        this.inspect(() =>
          this.options.inspection?.committed?.(
            this.statusOf(slot),
            records.flatMap((r) => (r.machine === 'sync' ? [r.record] : [])),
          ),
        );
      },
      paused: () => this.pausedState !== null,
      onDecided: (seconds: number) => {
        this.options.metrics?.observeDecisionSeconds(seconds);
        const limit = this.options.alertThresholds?.decisionSeconds;
        if (limit !== undefined && seconds > limit)
          this.alert(
            `a decision took ${seconds.toFixed(2)} s from tick to committed step`,
            'decisionLatency',
          );
      },
      onHalted: (slot: PositionSlot, error: unknown) => {
        this.halted = true;
        this.alert(
          `position ${slot.meta.positionId} stopped: its step could not be recorded (${error instanceof Error ? error.message : String(error)}); the engine sends no more orders, resting stops stay`,
          'storeFailed',
        );
      },
      onDone: (slot: PositionSlot) => {
        this.log.info(
          { position: slot.meta.positionId, symbol: slot.meta.symbol },
          'position closed and cleaned up',
        );
        this.feeds.get(slot.meta.positionId)?.unsubscribe();
        this.feeds.delete(slot.meta.positionId);
        this.lanes.delete(slot.meta.positionId);
        this.slots.delete(slot.meta.positionId);
        // Bounded: nothing of a finished position stays behind.
        this.lastPrices.delete(slot.meta.positionId);
        this.crossedSince.delete(slot.meta.positionId);
        this.exitReasons.delete(slot.meta.positionId);
        this.seenFlat.delete(slot.meta.positionId);
        this.flatChecks.delete(slot.meta.positionId);
        slot.dispose();
        this.wakePlacementWaiters();
        this.inspect(() => this.options.inspection?.closed?.(slot.meta.positionId, this.now()));
        this.options.onClosed?.(slot);
      },
    };
  }

  /**
   * Resolves once no newer position of ours on the same symbol and side is waiting for the
   * answer to its first placement. Until then a flat position's leftover stop is the only thing
   * on the exchange that would close that newer one (a reduce-only stop on the same side), so it
   * is cancelled after that answer, not before: make-before-break across positions. The wait
   * is one placement at most; whatever the answer, the cancel goes.
   */
  private async successorPlaced(meta: SlotMeta): Promise<void> {
    await this.flatChecks.get(meta.positionId);
    const waiting = (): boolean => {
      const own = this.slots.get(meta.positionId)?.syncSnapshot.context;
      if (own !== undefined && own.quantity !== null) return false;
      for (const other of this.slots.values()) {
        if (other.meta.positionId === meta.positionId) continue;
        if (other.meta.symbol !== meta.symbol || other.meta.side !== meta.side) continue;
        const c = other.syncSnapshot.context;
        if (c.resting === null && c.quantity !== null && c.inflight?.type === 'placeStop')
          return true;
      }
      return false;
    };
    while (waiting() && !this.stopping) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.placementWaiters.delete(wake);
          resolve();
        };
        this.placementWaiters.add(wake);
      });
    }
  }

  /** Lets every waiting leftover cancel look again (a step was committed, a slot ended, or the engine stops). */
  private wakePlacementWaiters(): void {
    for (const wake of [...this.placementWaiters]) wake();
  }

  /** Runs an inspection hook; the inspector must never break a live position. */
  private inspect(hook: () => void): void {
    try {
      hook();
    } catch (error) {
      this.log.debug({ err: String(error) }, 'inspection update dropped');
    }
  }

  /** Announces a position to the inspection hub and returns the tap of its position actor. */
  private tapFor(
    meta: SlotMeta,
    info: Omit<PositionInfo, 'id' | 'label'>,
  ): InspectionTap | undefined {
    const inspection = this.options.inspection;
    if (inspection === undefined) return undefined;
    try {
      inspection.open({ id: meta.positionId, label: `${meta.symbol} ${meta.side}`, ...info });
    } catch (error) {
      this.log.warn(
        { position: meta.positionId, err: String(error) },
        'inspection refused the position',
      );
      return undefined;
    }
    const sink = inspection.sinkFor(meta.positionId);
    // The inspector must never break a live position: a failing sink is logged and ignored.
    return createInspectionTap((record) => {
      try {
        sink(record);
      } catch (error) {
        this.log.debug(
          { position: meta.positionId, err: String(error) },
          'inspection record dropped',
        );
      }
    });
  }

  private async restoreSlots(): Promise<PositionSlot[]> {
    const { envelopes: written } = await this.options.store.listEnvelopes();
    // A data directory from an older build resumes through the same migrations as a replay;
    // one this build cannot read stops the start with the store's own explanation.
    const envelopes = written.map((e) => migrateEnvelope(e, snapshotKey(e.positionId)));
    const byId = new Map(envelopes.map((e) => [e.positionId, e]));
    const out: PositionSlot[] = [];
    for (const env of envelopes) {
      if (env.positionId.endsWith(SYNC_SUFFIX)) continue;
      const sync = byId.get(env.positionId + SYNC_SUFFIX);
      if (sync === undefined) continue;
      let meta: SlotMeta & { live?: number };
      try {
        meta = JSON.parse(env.source) as SlotMeta & { live?: number };
      } catch {
        continue;
      }
      if (meta.live !== LIVE_VERSION || meta.venue !== this.options.venue.id) continue;
      if (sync.snapshot.status !== 'active') continue;
      const context = env.snapshot.context as PositionContext;
      out.push(
        PositionSlot.restore(
          meta,
          {
            position: { snapshot: env.snapshot, seq: env.seq },
            sync: { snapshot: sync.snapshot, seq: sync.seq },
          },
          this.slotDeps(),
          this.tapFor(meta, {
            side: context.position.side,
            entryPrice: context.position.entryPrice,
            quantity: context.position.quantity,
            openedAt: context.position.openedAt,
            tickSize: context.market.tickSize,
            policy: context.policy,
          }),
        ),
      );
    }
    return out;
  }

  /** The position of ours on `symbol` the exchange has not reported flat yet, exited or not. */
  private openSlotOf(symbol: string): PositionSlot | undefined {
    for (const slot of this.slots.values()) {
      if (this.seenFlat.has(slot.meta.positionId)) continue;
      if (slot.meta.symbol === symbol && slot.syncSnapshot.context.quantity !== null) return slot;
    }
    return undefined;
  }

  private async open(position: VenuePosition, adopted: readonly VenueStopOrder[]): Promise<void> {
    if (!this.wanted(position.symbol)) return;
    const market = this.markets.get(position.symbol);
    if (market === undefined) {
      this.alert(
        `position on ${position.symbol} has no market on ${this.options.venue.id}: not protected`,
        `noMarket:${position.symbol}`,
      );
      return;
    }
    const { config, venue } = this.options;
    const positionId = this.positionIdOf(position);
    if (this.slots.has(positionId)) return;
    const meta: SlotMeta & { live: number } = {
      positionId,
      symbol: position.symbol,
      unified: venue.unifiedSymbol(position.symbol),
      side: position.side,
      venue: venue.id,
      live: LIVE_VERSION,
    };
    const ts = this.now();
    const policy = this.policyFor(position.symbol);
    const slot = PositionSlot.create(
      meta,
      {
        id: positionId,
        market: { tickSize: market.tickSize },
        position: {
          side: position.side,
          entryPrice: position.entryPrice,
          quantity: position.quantity,
          openedAt: position.openedAt,
        },
        policy,
      },
      {
        positionId,
        symbol: position.symbol,
        side: position.side,
        quantity: position.quantity,
        clientIdStem: clientIdStem(config.clientIdPrefix, positionId),
        settings: this.settings(),
        ts,
      },
      this.slotDeps(),
      this.tapFor(meta, {
        side: position.side,
        entryPrice: position.entryPrice,
        quantity: position.quantity,
        openedAt: position.openedAt,
        tickSize: market.tickSize,
        policy,
      }),
    );
    this.slots.set(positionId, slot);
    this.log.info(
      { position: positionId, entry: position.entryPrice, quantity: position.quantity },
      'position taken in charge',
    );
    await slot.start(
      adopted.length === 0
        ? undefined
        : {
            type: 'RECONCILED',
            ts,
            quantity: position.quantity,
            stops: adopted.map(stopRef),
            restart: true,
          },
    );
    if (this.clockTimer !== undefined) this.feed(slot);
  }

  private async cancelOrphan(order: VenueStopOrder): Promise<void> {
    if (this.halted) return;
    try {
      await this.options.venue.cancelStop(order.symbol, order.id);
      this.log.info({ symbol: order.symbol, clientId: order.clientId }, 'orphan stop cancelled');
    } catch (error) {
      this.log.warn(
        { symbol: order.symbol, clientId: order.clientId, err: String(error) },
        'orphan stop not cancelled; retried at the next reconciliation',
      );
    }
  }

  private feed(slot: PositionSlot): void {
    if (this.feeds.has(slot.meta.positionId) || !slot.positionActive) return;
    const view: LanePosition = {
      side: slot.meta.side,
      entryPrice: slot.positionContext.position.entryPrice,
      quantity: slot.positionContext.position.quantity,
      currentStop: () => slot.positionContext.stop,
    };
    const lanes = this.options.config.lanes;
    const sub = this.prices
      .ticks(slot.meta.unified)
      .pipe(
        lane(view, {
          fastMs: lanes.fastMs,
          normalMs: lanes.normalMs,
          fastWhenProfit: lanes.fastWhenProfit,
          downgradeAfterCycles: lanes.downgradeAfterCycles,
        }),
      )
      .subscribe({
        next: (delivery) => {
          this.lanes.set(slot.meta.positionId, delivery.lane);
          const lastTick = delivery.ticks.at(-1);
          if (lastTick !== undefined) this.lastPrices.set(slot.meta.positionId, lastTick.price);
          for (const t of delivery.ticks)
            slot.send({ to: 'position', event: { type: 'PRICE', ts: t.ts, price: t.price } });
        },
        error: (error: unknown) =>
          this.log.error(
            { position: slot.meta.positionId, err: String(error) },
            'price feed failed',
          ),
      });
    this.feeds.set(slot.meta.positionId, sub);
  }

  private tick(): void {
    const ts = this.now();
    this.watch(ts);
    for (const slot of this.slots.values()) {
      slot.send({ to: 'position', event: { type: 'CLOCK', ts } });
      slot.send({ to: 'sync', event: { type: 'CLOCK', ts } });
    }
  }

  private onAccount(event: AccountEvent): void {
    if (this.stopping) return;
    if (event.type === 'reconnected') {
      this.log.info('account stream reconnected: reconciling');
      void this.reconcileNow();
      return;
    }
    if (event.type === 'stop') {
      for (const slot of this.slots.values()) {
        if (event.order.clientId.startsWith(slot.syncSnapshot.context.clientIdStem)) {
          slot.send({
            to: 'sync',
            event: {
              type: 'STOP_CHANGED',
              ts: event.ts,
              id: event.order.id,
              status: event.order.status,
            },
          });
        }
      }
      return;
    }
    const p = event.position;
    if (!this.wanted(p.symbol)) return;
    // Any open position of ours on the symbol, exited or not: the stream's word on its size, or
    // that it is flat, is what ends it.
    const slot = this.openSlotOf(p.symbol);
    if ('closed' in p) {
      if (slot !== undefined) this.markFlat(slot);
      slot?.send({ to: 'sync', event: { type: 'POSITION', ts: event.ts, quantity: null } });
      return;
    }
    if (slot !== undefined && slot.meta.side === p.side) {
      slot.send({ to: 'sync', event: { type: 'POSITION', ts: event.ts, quantity: p.quantity } });
      return;
    }
    if (slot !== undefined) this.markFlat(slot);
    slot?.send({ to: 'sync', event: { type: 'POSITION', ts: event.ts, quantity: null } });
    void this.open(p, []).catch((error: unknown) =>
      this.alert(
        `could not take ${p.symbol} in charge: ${String(error)}`,
        `takeInCharge:${p.symbol}`,
      ),
    );
  }

  /**
   * Notes that `slot`'s position is flat and looks at the exchange afresh: a position opened on
   * the same side at once may reach us only there (a stream can fold a close and a reopen into
   * one change), and the flat one's leftovers wait for that look (see `successorPlaced`).
   */
  private markFlat(slot: PositionSlot): void {
    const id = slot.meta.positionId;
    this.seenFlat.add(id);
    if (this.flatChecks.has(id)) return;
    const pending = this.reconciling;
    this.flatChecks.set(
      id,
      (async () => {
        // A reconciliation already under way may have read the lists before the reopen.
        await pending;
        await this.reconcileNow();
      })(),
    );
  }

  private scheduleReconcile(): void {
    if (this.stopping) return;
    clearTimeout(this.reconcileTimer);
    this.reconcileTimer = setTimeout(() => {
      void this.reconcileNow().finally(() => this.scheduleReconcile());
    }, this.reconcileDelay);
  }

  private async reconcile(): Promise<void> {
    if (this.stopping) return;
    const { venue, config } = this.options;
    // What the exchange's lists can contradict: a slot whose order state changed while they were
    // fetched may know better than they do (a CLOCK step changes none of it).
    const orderState = (slot: PositionSlot) => {
      const c = slot.syncSnapshot.context;
      return JSON.stringify([
        c.resting?.id,
        c.leftovers.map((l) => l.id),
        c.quantity,
        c.inflight,
        c.unresolved,
      ]);
    };
    const before = new Map(
      [...this.slots.values()].map((s) => [s, s.busy ? 'busy' : orderState(s)]),
    );
    let positions: VenuePosition[];
    let stops: VenueStopOrder[];
    try {
      [positions, stops] = await Promise.all([
        venue.fetchPositions(),
        venue.fetchOpenStops(this.options.config.symbols),
      ]);
    } catch (error) {
      this.log.warn({ err: String(error) }, 'reconciliation failed; retried soon');
      if (error instanceof VenueError && error.kind === 'clockSkew') await this.resyncClock();
      this.reconcileDelay = this.options.reconcileMinMs ?? 6000;
      return;
    }
    // A position that ended while the lists were fetched cancelled its own stops meanwhile:
    // the list may still show them, but they are no one's to adopt (a newer position on the
    // symbol would keep one in place of its own, and cancel its own as a leftover).
    const ended = [...before.keys()].filter((s) => !this.slots.has(s.meta.positionId));
    const endedStems = ended.map((s) => s.syncSnapshot.context.clientIdStem);
    const stopsNow = stops.filter((o) => !endedStems.some((stem) => o.clientId.startsWith(stem)));
    if (stopsNow.length !== stops.length)
      this.log.info(
        { stops: stops.length - stopsNow.length },
        'stops of positions that ended during reconciliation left out of it',
      );
    stops = stopsNow;
    // So are their positions: a list read before a position went flat still shows it, under the
    // very id of the position that just ended (a new one on the symbol has another opening).
    const endedIds = new Set(ended.map((s) => s.meta.positionId));
    const positionsNow = positions.filter((p) => !endedIds.has(this.positionIdOf(p)));
    if (positionsNow.length !== positions.length)
      this.log.info(
        { positions: positions.length - positionsNow.length },
        'positions that ended during reconciliation left out of it',
      );
    positions = positionsNow;
    if (this.stopping) return;
    // Halted (the store refused a write), the engine reads but acts on nothing: whatever
    // reconciliation would do — cancel an orphan, take a position in charge — could not be
    // journaled.
    if (this.halted) {
      this.log.warn(
        { positions: positions.length, stops: stops.length },
        'halted: the exchange is read, nothing is changed',
      );
      return;
    }
    const live = [...this.slots.values()].filter((s) => !s.stopped);
    const plan = reconcilePlan(
      live.map((s) => this.held(s)),
      positions.filter((p) => this.wanted(p.symbol)),
      stops,
      config.clientIdPrefix,
    );
    let disagreements = 0;
    const ts = this.now();
    for (const truth of plan.held) {
      const slot = this.slots.get(truth.positionId);
      if (slot === undefined) continue;
      // A slot that stepped while the lists were fetched may know better than they do.
      if (before.get(slot) !== orderState(slot) || slot.busy) {
        disagreements += 1;
        continue;
      }
      const c = slot.syncSnapshot.context;
      const quantity = truth.position?.quantity ?? null;
      // By id and price: a venue that moves a stop in place (Bybit) keeps its id, and a move
      // that landed out of order (a timed-out request executed late, another client) shows only
      // in the price. Reconciled, the sync rests on the exchange's price and moves on from it.
      const key = (s: { id: string; stopPrice: string }) =>
        `${s.id}@${new Decimal(s.stopPrice).toString()}`;
      const known = [c.resting, ...c.leftovers]
        .filter((s) => s !== null)
        .map(key)
        .sort();
      const seen = truth.stops.map(key).sort();
      const sameQty =
        quantity === null
          ? c.quantity === null
          : c.quantity !== null && Number(quantity) === Number(c.quantity);
      if (sameQty && known.join() === seen.join()) continue;
      disagreements += 1;
      this.log.warn(
        { position: truth.positionId, known, seen, quantity, held: c.quantity },
        'exchange disagrees: reconciling',
      );
      slot.send({
        to: 'sync',
        event: {
          type: 'RECONCILED',
          ts,
          quantity,
          stops: truth.stops.map(stopRef),
          restart: false,
        },
      });
    }
    for (const { position, stops: adopted } of plan.opened) {
      disagreements += 1;
      await this.open(position, adopted);
    }
    for (const orphan of plan.orphans) {
      disagreements += 1;
      await this.cancelOrphan(orphan);
    }
    await this.checkDrawdown();
    const busy = [...this.slots.values()].some((s) => s.busy);
    const min = this.options.reconcileMinMs ?? 6000;
    const max = this.options.reconcileMaxMs ?? 300_000;
    this.reconcileDelay = disagreements > 0 || busy ? min : Math.min(max, this.reconcileDelay * 2);
  }

  /**
   * Runs a start-up read, waiting out a busy venue (rate limit, 5xx, clock skew: Retry-After or
   * back-off, six attempts); anything else — unreachable, refused key — fails the start at once.
   */
  private async patiently<T>(what: string, read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        const busy =
          error instanceof VenueError &&
          (error.kind === 'rateLimited' ||
            error.kind === 'retryable' ||
            error.kind === 'clockSkew');
        if (!busy || attempt >= 6) throw error;
        const waitMs = Math.min(30_000, error.details.retryAfterMs ?? 500 * 2 ** attempt);
        this.log.warn(
          { what, attempt, waitMs, kind: error.kind },
          'the venue is busy at start: waiting',
        );
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /** Samples the account's equity and trips the drawdown breaker once when it is breached. */
  private async checkDrawdown(): Promise<void> {
    const risk = this.options.risk;
    if (risk === undefined || this.pausedState !== null || this.stopping) return;
    let equity: string;
    try {
      equity = await this.options.venue.fetchEquity();
    } catch (error) {
      this.log.warn(
        { err: String(error) },
        'equity not read; the drawdown breaker waits for the next sample',
      );
      return;
    }
    this.drawdown ??= new DrawdownTracker({
      windowMs: risk.windowMs,
      maxDrawdownPercent: risk.maxDrawdownPercent,
    });
    const reading = this.drawdown.record(this.now(), equity);
    if (reading?.breached !== true) return;
    const reason = `drawdown breaker: equity ${reading.equity} is ${reading.percent} % below its peak ${reading.peak} (limit ${risk.maxDrawdownPercent} %)`;
    if (risk.action === 'flatten') await this.flatten(reason);
    else await this.pause(reason);
  }

  /**
   * Journals a control action (and the pause state it leaves, when it changes one) in one
   * batch before it takes effect: an action without a record never happens.
   */
  private async journal(record: ControlRecord, pause?: PauseState | null): Promise<void> {
    const seq = this.engineSeq + 1;
    await this.options.store.append(
      [{ positionId: ENGINE_JOURNAL_ID, seq, event: record as unknown as PositionEvent }],
      {
        [ENGINE_SEQ_KEY]: String(seq),
        ...(pause === undefined ? {} : { [PAUSE_KEY]: JSON.stringify(pause) }),
      },
    );
    this.engineSeq = seq;
    this.log.info({ journal: ENGINE_JOURNAL_ID, seq, ...record }, record.type);
  }

  private alert(message: string, key: string): void {
    this.log.error({ alert: key }, message);
    this.options.onAlert?.(message, key);
  }

  /** Counts moves and exits from a committed step's records, for the metrics. */
  private countOutcome(slot: PositionSlot, r: SlotRecord): void {
    const metrics = this.options.metrics;
    if (metrics === undefined || r.machine !== 'sync') return;
    const id = slot.meta.positionId;
    const rec = r.record;
    if (rec.type === 'stopResting' && rec.replaces !== null)
      metrics.countStopMove('make_before_break');
    else if (rec.type === 'stopResting' && this.exitReasons.get(id) === 'makeRoom') {
      metrics.countStopMove('cancel_replace');
      this.exitReasons.delete(id);
    } else if (rec.type === 'stopAmended') metrics.countStopMove('amend');
    else if (rec.type === 'cancelStop' && rec.purpose === 'makeRoom')
      this.exitReasons.set(id, 'makeRoom');
    else if (rec.type === 'stopFired') this.exitReasons.set(id, 'stop_filled');
    else if (rec.type === 'closedAtMarket' && rec.filled) this.exitReasons.set(id, 'our_exit');
    else if (rec.type === 'positionFlat') {
      const reason = this.exitReasons.get(id);
      metrics.countExit(
        reason === 'stop_filled' || reason === 'our_exit' ? reason : 'closed_elsewhere',
      );
      this.exitReasons.delete(id);
    }
  }

  /**
   * The engine's own watch, each CLOCK: position gauges, unprotected time, a position naked or a
   * price past its resting stop for too long, a feed on REST polling for too long.
   */
  private watch(now: number): void {
    const status = this.status();
    const metrics = this.options.metrics;
    if (metrics !== undefined) {
      const counts = { protected: 0, unprotected: 0, closing: 0 };
      for (const p of status) {
        if (p.state === 'closing') counts.closing += 1;
        else if (p.restingStop === null) counts.unprotected += 1;
        else counts.protected += 1;
      }
      metrics.setPositions(counts);
      metrics.trackUnprotected(status.map((p) => ({ id: p.id, unprotectedMs: p.unprotectedMs })));
    }
    const limits = this.options.alertThresholds;
    for (const slot of this.slots.values()) {
      const id = slot.meta.positionId;
      const c = slot.syncSnapshot.context;
      if (limits !== undefined && c.unprotectedSince !== null && c.quantity !== null) {
        const seconds = (now - c.unprotectedSince) / 1000;
        if (seconds > limits.unprotectedSeconds)
          this.alert(
            `${slot.meta.symbol}: no resting stop for ${Math.round(seconds)} s`,
            `unprotected:${slot.meta.symbol}`,
          );
      }
      // A missed exit: the last price is past the resting stop and the position is still open.
      const last = this.lastPrices.get(id) ?? null;
      const resting = c.resting?.stopPrice;
      const past =
        last !== null &&
        resting !== undefined &&
        c.quantity !== null &&
        (slot.meta.side === 'long'
          ? Number(last) <= Number(resting)
          : Number(last) >= Number(resting));
      if (!past) {
        this.crossedSince.delete(id);
        continue;
      }
      const since = this.crossedSince.get(id);
      if (since === undefined) {
        this.crossedSince.set(id, now);
        continue;
      }
      const missedFor = (now - since) / 1000;
      if (since !== -1 && missedFor > (limits?.missedExitSeconds ?? 10)) {
        this.crossedSince.set(id, -1);
        metrics?.countMissedExit();
        this.alert(
          `${slot.meta.symbol}: the price passed the resting stop ${resting} ${Math.round(missedFor)} s ago and the position is still open`,
          `missedExit:${slot.meta.symbol}`,
        );
      }
    }
    if (limits !== undefined) {
      const wall = (this.options.wallClock ?? Date.now)();
      for (const [symbol, since] of this.onRest) {
        if ((wall - since) / 1000 > limits.feedFallbackSeconds)
          this.alert(
            `${symbol}: prices come from REST polling for ${Math.round((wall - since) / 1000)} s (WebSocket down)`,
            `feedFallback:${symbol}`,
          );
      }
    }
  }
}
