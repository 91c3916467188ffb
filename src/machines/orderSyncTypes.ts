import type { DecimalString, Millis, Side } from '../domain/types.ts';

/** How the exchange's stop follows the desired one (the config's `protection` block, in ms). */
export interface ProtectionSettings {
  readonly minIntervalMs: number;
  /** A move must tighten the resting stop by at least this percent of it. */
  readonly minImprovementPercent: DecimalString;
  /** A move at least this large (percent of the resting stop) skips the interval. */
  readonly emergencyPercent: DecimalString;
  /**
   * After the position machine exits at a stop that is resting on the exchange, how long the
   * exchange gets to fire it before we close at market (it may watch another price).
   */
  readonly exitGraceMs: number;
  /** Retry back-off of failed calls: base, doubled per consecutive failure, capped. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Consecutive failures after which an alert is raised (once per streak). */
  readonly alertAfterFailures: number;
  /**
   * The venue moves a resting stop in one atomic call (Bybit's trading-stop): moves are
   * `amendStop` commands instead of make-before-break. Undefined: false.
   */
  readonly atomicAmend?: boolean | undefined;
}

/** One of our stops on the exchange, as the sync machine knows it. */
export interface StopRef {
  readonly id: string;
  readonly clientId: string;
  readonly stopPrice: DecimalString;
  readonly quantity: DecimalString;
  readonly placedAt: Millis;
}

/** Why a failed call failed, in the venue port's classes (see src/venues/port.ts). */
export type FailureKind =
  | 'retryable'
  | 'rateLimited'
  | 'unknownOutcome'
  | 'clockSkew'
  | 'auth'
  | 'notFound'
  | 'immediatelyTriggers'
  | 'tooManyStops'
  | 'closePositionConflict'
  | 'noPosition'
  | 'insufficientFunds'
  | 'invalid'
  | 'exchange'
  | 'circuitOpen';

/** Why a stop is cancelled: replaced by a newer one, left over, or to make room at the order limit. */
export type CancelPurpose = 'superseded' | 'leftover' | 'makeRoom';

/** The commands the sync machine asks the venue executor to perform; at most one at a time. */
export type SyncCommand =
  | {
      readonly type: 'placeStop';
      readonly clientId: string;
      readonly stopPrice: DecimalString;
      readonly quantity: DecimalString;
    }
  | {
      readonly type: 'amendStop';
      readonly id: string;
      readonly clientId: string;
      readonly stopPrice: DecimalString;
      readonly quantity: DecimalString;
    }
  | {
      readonly type: 'cancelStop';
      readonly id: string;
      readonly clientId: string;
      readonly purpose: CancelPurpose;
    }
  | {
      readonly type: 'lookUpStop';
      readonly clientId: string;
      /** Resolves a place whose answer was lost, or a cancel answered "not found". */
      readonly after: 'place' | 'cancel';
    }
  | { readonly type: 'closeAtMarket'; readonly clientId: string; readonly quantity: DecimalString }
  | { readonly type: 'lookUpClose'; readonly clientId: string };

/** A stop's status as a look-up or the user-data stream reports it. */
export type ObservedStopStatus =
  'open' | 'triggered' | 'cancelled' | 'expired' | 'rejected' | 'gone';

/** The inputs of the sync machine: the position machine's decisions, the venue's answers, time. */
export type SyncEvent =
  | { readonly type: 'DESIRED'; readonly ts: Millis; readonly stop: DecimalString }
  | {
      readonly type: 'EXIT';
      readonly ts: Millis;
      readonly price: DecimalString;
      readonly stop: DecimalString;
    }
  | { readonly type: 'CLOCK'; readonly ts: Millis }
  /** An operator's order to close the position at market now (flatten). */
  | { readonly type: 'CLOSE'; readonly ts: Millis; readonly reason: string }
  /** The position's size on the exchange; null when it is flat. */
  | { readonly type: 'POSITION'; readonly ts: Millis; readonly quantity: DecimalString | null }
  | {
      readonly type: 'PLACED';
      readonly ts: Millis;
      readonly clientId: string;
      readonly id: string;
      readonly stopPrice: DecimalString;
      readonly quantity: DecimalString;
    }
  | { readonly type: 'CANCELLED'; readonly ts: Millis; readonly id: string }
  /** The resting stop now stands at `stopPrice` for `quantity` (an atomic amend was confirmed). */
  | {
      readonly type: 'AMENDED';
      readonly ts: Millis;
      readonly id: string;
      readonly stopPrice: DecimalString;
      readonly quantity: DecimalString;
    }
  | {
      readonly type: 'LOOKED_UP';
      readonly ts: Millis;
      readonly clientId: string;
      readonly status: ObservedStopStatus;
      readonly order?:
        | {
            readonly id: string;
            readonly stopPrice: DecimalString;
            readonly quantity: DecimalString;
          }
        | undefined;
    }
  | {
      readonly type: 'CLOSE_DONE';
      readonly ts: Millis;
      readonly clientId: string;
      readonly filled: boolean;
    }
  | {
      readonly type: 'FAILED';
      readonly ts: Millis;
      readonly kind: FailureKind;
      readonly message: string;
      readonly retryAfterMs?: number | undefined;
    }
  | {
      readonly type: 'STOP_CHANGED';
      readonly ts: Millis;
      readonly id: string;
      readonly status: ObservedStopStatus;
    }
  /**
   * The exchange's truth for this position, after a restart or a reconnect: its size (null:
   * flat) and our open stops for it. `restart` voids what the snapshot had in flight.
   */
  | {
      readonly type: 'RECONCILED';
      readonly ts: Millis;
      readonly quantity: DecimalString | null;
      readonly stops: readonly StopRef[];
      readonly restart: boolean;
    };

// A record keyed by the union: a command type added to SyncCommand fails to compile until listed.
const COMMAND_TYPES: Readonly<Record<SyncCommand['type'], true>> = {
  placeStop: true,
  amendStop: true,
  cancelStop: true,
  lookUpStop: true,
  closeAtMarket: true,
  lookUpClose: true,
};

/** The type of every command the order sync issues: what a journal line is when it is one. */
export const SYNC_COMMAND_TYPES: ReadonlySet<string> = new Set(Object.keys(COMMAND_TYPES));

/** The journal lines of the sync machine: every command it issued and every fact it learned. */
export type SyncRecord =
  | (SyncCommand & { readonly ts: Millis })
  | {
      readonly type: 'stopResting';
      readonly ts: Millis;
      readonly stop: StopRef;
      readonly replaces: string | null;
    }
  | {
      readonly type: 'stopCancelled';
      readonly ts: Millis;
      readonly id: string;
      readonly purpose: CancelPurpose | 'external';
    }
  | { readonly type: 'stopAmended'; readonly ts: Millis; readonly stop: StopRef }
  | { readonly type: 'stopFired'; readonly ts: Millis; readonly id: string }
  | {
      readonly type: 'stopLookedUp';
      readonly ts: Millis;
      readonly clientId: string;
      readonly status: ObservedStopStatus;
    }
  | {
      readonly type: 'requestFailed';
      readonly ts: Millis;
      readonly command: SyncCommand['type'];
      readonly kind: FailureKind;
      readonly message: string;
      readonly retryAt: Millis | null;
    }
  | {
      readonly type: 'closedAtMarket';
      readonly ts: Millis;
      readonly clientId: string;
      readonly filled: boolean;
    }
  | { readonly type: 'positionResized'; readonly ts: Millis; readonly quantity: DecimalString }
  | { readonly type: 'positionFlat'; readonly ts: Millis }
  | { readonly type: 'closeRequested'; readonly ts: Millis; readonly reason: string }
  | {
      readonly type: 'reconciled';
      readonly ts: Millis;
      readonly resting: string | null;
      readonly leftovers: number;
      readonly quantity: DecimalString | null;
    }
  | {
      readonly type: 'alert';
      readonly ts: Millis;
      readonly reason: 'placementFailing' | 'authRefused' | 'orderLimit' | 'invalidOrder';
      readonly message: string;
    }
  | {
      readonly type: 'syncDone';
      readonly ts: Millis;
      readonly unprotectedMs: number;
      readonly gapMs: number;
    };

/** What a sync machine is created from. */
export interface OrderSyncInput {
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  /** Size of the position when the actor is created. */
  readonly quantity: DecimalString;
  /** Our client-id prefix plus the position's tag: every client id starts with it. */
  readonly clientIdStem: string;
  readonly settings: ProtectionSettings;
  /** When the engine took charge of the position (unprotected time counts from here). */
  readonly ts: Millis;
}

/** The sync machine's context: plain JSON, persisted with the position's snapshot. */
export interface OrderSyncContext {
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly clientIdStem: string;
  readonly settings: ProtectionSettings;
  /** Client ids issued so far (the next id's suffix). */
  readonly seq: number;
  /** The position's size; null once flat. */
  readonly quantity: DecimalString | null;
  readonly desired: DecimalString | null;
  readonly resting: StopRef | null;
  /** Our other stops for this position, cancelled once `resting` is in place (or once flat). */
  readonly leftovers: readonly StopRef[];
  readonly inflight: SyncCommand | null;
  /** A call whose outcome must be looked up before anything else is sent. */
  readonly unresolved: {
    readonly clientId: string;
    readonly after: 'place' | 'cancel' | 'close';
  } | null;
  readonly lastMoveTs: Millis | null;
  readonly retryAt: Millis | null;
  readonly failures: number;
  /** The account is at its conditional-order limit: move by cancel-then-create. */
  readonly atLimit: boolean;
  /**
   * The limit was alerted and no make-before-break placement has landed since: one alert per
   * stretch at the limit, although each move probes for room again. Absent in snapshots from
   * before it existed (read as false).
   */
  readonly limitAlerted?: boolean;
  readonly exit: {
    readonly ts: Millis;
    readonly price: DecimalString;
    readonly stop: DecimalString;
    readonly force: boolean;
  } | null;
  /** Our resting stop fired: the exchange is closing the position. */
  readonly fired: boolean;
  readonly closeSent: boolean;
  readonly done: boolean;
  readonly unprotectedSince: Millis | null;
  readonly unprotectedMs: number;
  readonly firstProtectedAt: Millis | null;
  /** Time without a resting stop after the first placement (cancel-then-create gaps, failures). */
  readonly gapMs: number;
  readonly lastTs: Millis;
}
