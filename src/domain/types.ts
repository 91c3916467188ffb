/**
 * The values one position's stop is computed from, as the SPEC names them. Every price,
 * quantity, percent and amount is a decimal string so that a snapshot of them is plain JSON
 * and no binary float ever touches money; rules parse them into exact decimals.
 */

/** A position's direction: a long profits when the price rises, a short when it falls. */
export type Side = 'long' | 'short';

/** A decimal number written as a string, e.g. "100.0336". */
export type DecimalString = string;

/** Millisecond timestamps (integers) in the scenario's own clock. */
export type Millis = number;

export interface Market {
  /** Every stop is a multiple of this price increment. */
  readonly tickSize: DecimalString;
}

export interface PositionSpec {
  readonly side: Side;
  readonly entryPrice: DecimalString;
  readonly quantity: DecimalString;
  readonly openedAt: Millis;
}

export type InitialStopPolicy =
  { readonly percent: DecimalString } | { readonly price: DecimalString };

export interface ActivationPolicy {
  readonly immediate?: boolean;
  readonly price?: DecimalString;
  readonly profitPercent?: DecimalString;
  readonly afterSeconds?: DecimalString;
  readonly minProfitPercent?: DecimalString;
}

/** One distance of the stop from the extreme price: exactly one key is set. */
export type Distance =
  | { readonly percent: DecimalString }
  | { readonly price: DecimalString }
  | { readonly ticks: DecimalString };

export type Tier = Distance & { readonly fromProfitPercent: DecimalString };

export interface MomentumPolicy {
  readonly windowSeconds: DecimalString;
  readonly thresholdPercent: DecimalString;
  readonly releasePercent: DecimalString;
  readonly factor: DecimalString;
}

export type TrailingPolicy = Distance & {
  readonly tiers?: readonly Tier[];
  readonly momentum?: MomentumPolicy;
};

export interface BreakevenPolicy {
  readonly triggerPercent: DecimalString;
  readonly offsetPercent: DecimalString;
}

export type ElasticUnit = 'quote' | 'percent';

export interface BigJumpPolicy {
  readonly threshold: DecimalString;
  readonly windowSeconds: DecimalString;
  readonly margin: DecimalString;
}

export interface PeakLockPolicy {
  readonly trigger: DecimalString;
  readonly lock: DecimalString;
}

export interface ElasticPolicy {
  readonly unit: ElasticUnit;
  readonly engageAt: DecimalString;
  readonly pullback: DecimalString;
  readonly floor: DecimalString;
  readonly minStep: DecimalString;
  readonly bigJump?: BigJumpPolicy;
  readonly peakLock?: PeakLockPolicy;
}

/** A validated policy: defaults filled in (breakeven offset 0, elastic floor and minStep 0). */
export interface Policy {
  readonly initialStop: InitialStopPolicy;
  readonly activation?: ActivationPolicy;
  readonly trailing?: TrailingPolicy;
  readonly breakeven?: BreakevenPolicy;
  readonly elastic?: ElasticPolicy;
}

/**
 * A price observation. `price` is the text as received: it may be "NaN" or "-4", because
 * rejecting bad ticks is part of the step, not of loading.
 */
export interface Tick {
  readonly ts: Millis;
  readonly price: string;
}

/** Everything one position needs: the input of `ratchet replay`, after validation. */
export interface Scenario {
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
  readonly ticks: readonly Tick[];
}

export type ActivationReason = 'immediate' | 'price' | 'profit' | 'time';
export type StopSource = 'initial' | 'trailing' | 'elastic' | 'breakeven';
export type RejectReason = 'not a number' | 'not positive' | 'out of order';

/** The SPEC's event lines, in the shape `ratchet replay --format jsonl` prints them. */
export type PositionEvent =
  | { readonly type: 'opened'; readonly ts: Millis; readonly stop: DecimalString }
  | {
      readonly type: 'activated';
      readonly ts: Millis;
      readonly price: DecimalString;
      readonly reason: ActivationReason;
    }
  | { readonly type: 'breakevenReached'; readonly ts: Millis; readonly price: DecimalString }
  | { readonly type: 'accelerated'; readonly ts: Millis; readonly price: DecimalString }
  | { readonly type: 'decelerated'; readonly ts: Millis; readonly price: DecimalString }
  | { readonly type: 'elasticEngaged'; readonly ts: Millis; readonly price: DecimalString }
  | { readonly type: 'peakLocked'; readonly ts: Millis; readonly price: DecimalString }
  | { readonly type: 'bigJumpLocked'; readonly ts: Millis; readonly lock: DecimalString }
  | {
      readonly type: 'stopMoved';
      readonly ts: Millis;
      readonly price: DecimalString;
      readonly stop: DecimalString;
      readonly source: Exclude<StopSource, 'initial'>;
    }
  | {
      readonly type: 'exited';
      readonly ts: Millis;
      readonly price: DecimalString;
      readonly stop: DecimalString;
      readonly reason: StopSource;
    }
  | { readonly type: 'tickRejected'; readonly ts: Millis; readonly why: RejectReason };

/** The last line of a replay. */
export interface ReplaySummary {
  readonly type: 'summary';
  readonly exited: boolean;
  readonly exitTs: Millis | null;
  readonly exitPrice: DecimalString | null;
  readonly exitReason: StopSource | null;
  readonly finalStop: DecimalString;
}
