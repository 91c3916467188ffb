import type {
  DecimalString,
  Millis,
  Policy,
  PositionEvent,
  Side,
  StopSource,
} from '../domain/types.ts';

/**
 * One transition the statechart took, named so the inspector can find it in the drawing:
 * `id` is `<source state id>:<event>:<index among that state's transitions for the event>`
 * (`always` for eventless transitions), the same id the machine graph gives its edges.
 */
export interface InspectedTransition {
  readonly id: string;
  readonly source: string;
  /** Target state ids; empty for a targetless (internal) transition. */
  readonly targets: readonly string[];
  readonly event: string;
  /** The guard as written (`and(isPriceTick, elasticEngages)`), or null when unguarded. */
  readonly guard: string | null;
  readonly actions: readonly string[];
}

/**
 * The parts of the position context that change from tick to tick, as plain JSON. Market,
 * position and policy are sent once, in PositionInfo; the window buffer is summarised by its
 * length because it can hold thousands of ticks.
 */
export interface InspectedContext {
  readonly stop: DecimalString;
  readonly stopSource: StopSource;
  readonly lastTs: Millis | null;
  readonly lastPrice: DecimalString | null;
  readonly peakPrice: DecimalString | null;
  /** Profit % of the peak price (null before the first accepted tick). */
  readonly peakPercent: DecimalString | null;
  readonly extreme: DecimalString | null;
  /** SETE's lock as the context stores it (quote, or percent × entry). */
  readonly lock: DecimalString | null;
  /** SETE's lock in the policy's own unit (quote or percent), as the SPEC speaks of it. */
  readonly lockInUnit: DecimalString | null;
  readonly windowSize: number;
  readonly exit: {
    readonly ts: Millis;
    readonly price: DecimalString;
    readonly stop: DecimalString;
    readonly reason: StopSource;
  } | null;
}

/** What was sent to the actor for this record: a price, a clock, or the actor's start. */
export type InspectedInput =
  | { readonly type: 'PRICE'; readonly ts: Millis; readonly price: string }
  | { readonly type: 'CLOCK'; readonly ts: Millis }
  | { readonly type: 'start' };

/**
 * Everything one macrostep of a position actor did: the input, the transitions taken, the
 * SPEC events emitted, and the state and context it left the actor in. `seq` 0 is the start
 * (the position opening); each later record is one event sent to the actor.
 */
export interface InspectionRecord {
  readonly seq: number;
  readonly input: InspectedInput;
  /** The XState state value after the step, e.g. `{ open: { distance: 'armed', … } }`. */
  readonly value: unknown;
  /** Ids of every active state node, ancestors included (`position.open.distance.armed`). */
  readonly active: readonly string[];
  readonly status: 'active' | 'done' | 'error' | 'stopped';
  readonly transitions: readonly InspectedTransition[];
  readonly events: readonly PositionEvent[];
  readonly context: InspectedContext;
}

/** The static facts of an inspected position, sent once before its records. */
export interface PositionInfo {
  readonly id: string;
  /** A human name: the scenario file, or the exchange symbol for a live position. */
  readonly label: string;
  readonly side: Side;
  readonly entryPrice: DecimalString;
  readonly quantity: DecimalString;
  readonly openedAt: Millis;
  readonly tickSize: DecimalString;
  readonly policy: Policy;
}

/** A position as the inspector shows it: its facts and one record per step so far. */
export interface InspectedPosition {
  readonly info: PositionInfo;
  readonly records: InspectionRecord[];
}
