import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a position's stop stands, as `ratchet_positions` counts it. */
export type PositionState = 'protected' | 'unprotected' | 'closing';

/** How a resting stop was moved. */
export type StopMoveMode = 'make_before_break' | 'cancel_replace' | 'amend';

/** Live positions by state. */
export type PositionCounts = Readonly<Record<PositionState, number>>;

/** One position's total time without a resting stop so far. */
export interface UnprotectedTime {
  readonly id: string;
  readonly unprotectedMs: number;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Include Node's default metrics (CPU, memory, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
  /** Read at every scrape to set `ratchet_positions`; without it, {@link RatchetMetrics.setPositions} does. */
  readonly positions?: () => PositionCounts;
  /** Distinct values a free-text label (reason, endpoint, class) may take; later ones count as "other". Default 50. */
  readonly maxLabelValues?: number;
}

/** The engine's Prometheus metrics, each behind a typed helper. */
export interface RatchetMetrics {
  /** The registry every metric is in (and only these). */
  readonly registry: Registry;
  /** Sets `ratchet_positions` for every state at once. */
  setPositions(counts: PositionCounts): void;
  /** Counts a resting stop moved to a tighter price. */
  countStopMove(mode: StopMoveMode): void;
  /** Counts a position closed, by the machine's exit reason. */
  countExit(reason: string): void;
  /** Counts one call to the exchange; with `errorClass`, a failed one (counted in errors too). */
  countExchangeRequest(endpoint: string, errorClass?: string): void;
  /** Adds time a position spent without a resting stop. */
  addUnprotectedSeconds(seconds: number): void;
  /**
   * Adds to `ratchet_unprotected_seconds_total` what each position's total grew since the last
   * call; a position seen for the first time sets its baseline (so a restart does not count
   * time from before it again), and positions absent from `positions` are forgotten.
   */
  trackUnprotected(positions: readonly UnprotectedTime[]): void;
  /** Records the time from a tick's arrival to the position's decision. */
  observeDecisionSeconds(seconds: number): void;
  /** Records the time from a command's sending to the exchange's acknowledgement. */
  observeOrderAckSeconds(seconds: number): void;
  /** Counts a price that crossed a resting stop while the position stayed open too long. */
  countMissedExit(): void;
  /** Counts a switch of a price feed to its REST fallback. */
  countFeedFallback(): void;
  /** Counts a tick refused by validation. */
  countRejectedTick(): void;
  /** Returns the Prometheus text exposition of every metric. */
  text(): Promise<string>;
  /** The Content-Type of {@link RatchetMetrics.text}. */
  readonly contentType: string;
}

/** The Prometheus names of the engine's own metrics. */
export const METRIC_NAMES = [
  'ratchet_positions',
  'ratchet_stop_moves_total',
  'ratchet_exits_total',
  'ratchet_exchange_requests_total',
  'ratchet_exchange_errors_total',
  'ratchet_unprotected_seconds_total',
  'ratchet_decision_seconds',
  'ratchet_order_ack_seconds',
  'ratchet_missed_exits_total',
  'ratchet_feed_fallback_total',
  'ratchet_ticks_rejected_total',
] as const;

const STATES: readonly PositionState[] = ['protected', 'unprotected', 'closing'];
const MODES: readonly StopMoveMode[] = ['make_before_break', 'cancel_replace', 'amend'];
// Decisions are in-process (sub-millisecond normally; the alert is at 1 s).
const DECISION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
// Acknowledgements cross the network to the exchange.
const ACK_BUCKETS = [0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 2, 5, 10, 30];
const DEFAULT_MAX_LABEL_VALUES = 50;
/** The label value every value beyond the limit is counted under. */
export const OTHER_LABEL = 'other';

/** Returns a function mapping label values to themselves while fewer than `max` are known, else to "other". */
function boundedLabel(max: number): (value: string) => string {
  const known = new Set<string>();
  return (value) => {
    if (known.has(value)) return value;
    if (known.size >= max) return OTHER_LABEL;
    known.add(value);
    return value;
  };
}

/**
 * Returns the engine's metrics in a registry of their own (Node's default metrics included
 * unless `defaultMetrics` is false). Every label has a bounded set of values: states and modes
 * are fixed, and each free-text label keeps its first `maxLabelValues` values, counting the
 * rest as "other", so a misbehaving exchange cannot grow the registry without end.
 */
export function createMetrics(options: MetricsOptions = {}): RatchetMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const max = options.maxLabelValues ?? DEFAULT_MAX_LABEL_VALUES;
  const readPositions = options.positions;

  const positions = new Gauge({
    name: 'ratchet_positions',
    help: 'Live positions by the state of their stop on the exchange.',
    labelNames: ['state'] as const,
    registers,
    ...(readPositions === undefined
      ? {}
      : {
          collect(this: Gauge<'state'>) {
            const counts = readPositions();
            for (const state of STATES) this.set({ state }, counts[state]);
          },
        }),
  });
  const stopMoves = new Counter({
    name: 'ratchet_stop_moves_total',
    help: 'Resting stops moved to a tighter price, by how the move was made.',
    labelNames: ['mode'] as const,
    registers,
  });
  const exits = new Counter({
    name: 'ratchet_exits_total',
    help: 'Positions closed, by exit reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const requests = new Counter({
    name: 'ratchet_exchange_requests_total',
    help: 'Calls to the exchange, by endpoint and outcome class (ok, or the error class).',
    labelNames: ['endpoint', 'class'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'ratchet_exchange_errors_total',
    help: 'Failed calls to the exchange, by endpoint and error class.',
    labelNames: ['endpoint', 'class'] as const,
    registers,
  });
  const unprotected = new Counter({
    name: 'ratchet_unprotected_seconds_total',
    help: 'Time positions spent without a resting stop on the exchange, as the engine sees it.',
    registers,
  });
  const decision = new Histogram({
    name: 'ratchet_decision_seconds',
    help: 'Time from a tick received to the decision about the stop.',
    buckets: DECISION_BUCKETS,
    registers,
  });
  const ack = new Histogram({
    name: 'ratchet_order_ack_seconds',
    help: 'Time from a command sent to the exchange to its acknowledgement.',
    buckets: ACK_BUCKETS,
    registers,
  });
  const missedExits = new Counter({
    name: 'ratchet_missed_exits_total',
    help: 'Prices that crossed a resting stop while the position stayed open past the grace time.',
    registers,
  });
  const fallbacks = new Counter({
    name: 'ratchet_feed_fallback_total',
    help: 'Switches of a price feed from its WebSocket to REST polling.',
    registers,
  });
  const rejected = new Counter({
    name: 'ratchet_ticks_rejected_total',
    help: 'Ticks refused by validation (stale, out of order, not a price).',
    registers,
  });
  // Zero series make a fresh engine's dashboard show 0 instead of "no data".
  for (const state of STATES) positions.set({ state }, 0);
  for (const mode of MODES) stopMoves.inc({ mode }, 0);

  const reason = boundedLabel(max);
  const endpoint = boundedLabel(max);
  const errorClass = boundedLabel(max);
  const lastUnprotectedMs = new Map<string, number>();
  const nonNegative = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? seconds : 0);

  return {
    registry,
    contentType: registry.contentType,
    setPositions: (counts) => {
      for (const state of STATES) positions.set({ state }, counts[state]);
    },
    countStopMove: (mode) => stopMoves.inc({ mode }),
    countExit: (why) => exits.inc({ reason: reason(why) }),
    countExchangeRequest: (name, cls) => {
      const e = endpoint(name);
      if (cls === undefined) {
        requests.inc({ endpoint: e, class: 'ok' });
        return;
      }
      const c = errorClass(cls);
      requests.inc({ endpoint: e, class: c });
      errors.inc({ endpoint: e, class: c });
    },
    addUnprotectedSeconds: (seconds) => unprotected.inc(nonNegative(seconds)),
    trackUnprotected: (list) => {
      const seen = new Set<string>();
      for (const { id, unprotectedMs } of list) {
        seen.add(id);
        const last = lastUnprotectedMs.get(id);
        lastUnprotectedMs.set(id, unprotectedMs);
        if (last !== undefined && unprotectedMs > last)
          unprotected.inc((unprotectedMs - last) / 1000);
      }
      for (const id of lastUnprotectedMs.keys()) if (!seen.has(id)) lastUnprotectedMs.delete(id);
    },
    observeDecisionSeconds: (seconds) => decision.observe(nonNegative(seconds)),
    observeOrderAckSeconds: (seconds) => ack.observe(nonNegative(seconds)),
    countMissedExit: () => missedExits.inc(),
    countFeedFallback: () => fallbacks.inc(),
    countRejectedTick: () => rejected.inc(),
    text: () => registry.metrics(),
  };
}
