import type { ElasticFrame } from '../domain/elastic.ts';
import { dec } from '../domain/money.ts';
import { openingScale, openingStop, positionRules } from '../domain/positionRules.ts';
import { unitsText } from '../domain/priceUnits.ts';
import type { PositionSetup, PositionState } from '../domain/stepPosition.ts';
import type {
  ActivationReason,
  DecimalString,
  Market,
  Millis,
  Policy,
  PositionSpec,
  StopSource,
} from '../domain/types.ts';

/** What an actor is created from: the position, its market and its policy (already validated). */
export interface PositionInput {
  readonly id?: string;
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
}

/**
 * What a step that changes the statechart's state decided, kept for its phases: each region's
 * transition reads its verdict here and announces it, in SPEC order.
 */
export interface StepVerdict {
  /** Index of the step's tick in its PRICES delivery (0 for a PRICE or CLOCK). */
  readonly tick: number;
  readonly ts: Millis;
  /** The step's price as decimal text. */
  readonly price: DecimalString;
  readonly activation: ActivationReason | null;
  readonly breakeven: boolean;
  readonly momentum: 'accelerated' | 'decelerated' | null;
  readonly engaged: boolean;
  readonly peakLocked: boolean;
  readonly bigJumpLock: DecimalString | null;
  /** The stop the ratchet moved to, and from which rule. */
  readonly moved: {
    readonly stop: DecimalString;
    readonly source: Exclude<StopSource, 'initial'>;
  } | null;
  readonly exits: boolean;
}

/** How the position ended. */
interface ExitRecord {
  readonly ts: Millis;
  readonly price: DecimalString;
  readonly stop: DecimalString;
  readonly reason: StopSource;
}

/**
 * The position actor's context: what the position is (id, market, position, policy) and the
 * facts the rules change (see PositionState: prices as integer units, the stop and lock as
 * exact decimal text). Plain JSON, so a persisted snapshot needs no reviver. Which rules are
 * running is not stored here: the statechart's active states say it.
 */
export interface PositionContext extends PositionSetup, PositionState {
  readonly id: string;
  /** The verdict of the latest step that changed a region (null once an ordinary step follows). */
  readonly step: StepVerdict | null;
  readonly exit: ExitRecord | null;
}

/**
 * Returns the context of a freshly opened position, its initial stop already placed. Throws
 * PriceRangeError when its prices cannot be held exactly.
 */
export function createPositionContext(input: PositionInput): PositionContext {
  const { market, position, policy } = input;
  const scale = openingScale(market, position);
  return {
    id: input.id ?? 'position',
    market,
    position,
    policy,
    scale,
    stop: openingStop(positionRules(market, position, policy, scale)),
    stopSource: 'initial',
    lastTs: null,
    last: null,
    clockTs: null,
    peak: null,
    extreme: null,
    window: [],
    lock: null,
    step: null,
    exit: null,
  };
}

/** Returns the SETE frame of a position whose policy has an elastic block (for showing its lock). */
export function elasticFrame(context: PositionContext): ElasticFrame {
  return {
    unit: context.policy.elastic?.unit ?? 'quote',
    entry: dec(context.position.entryPrice),
    quantity: dec(context.position.quantity),
    side: context.position.side,
  };
}

/** The prices of a context as decimal text, for people and for the inspector. */
export interface PositionPrices {
  readonly lastPrice: DecimalString | null;
  readonly peakPrice: DecimalString | null;
  readonly extreme: DecimalString | null;
}

/** Returns the last, peak and extreme prices of `context` as decimal text (null when not yet known). */
export function positionPrices(context: PositionContext): PositionPrices {
  const text = (units: number | null) => (units === null ? null : unitsText(units, context.scale));
  return {
    lastPrice: text(context.last),
    peakPrice: text(context.peak),
    extreme: text(context.extreme),
  };
}
