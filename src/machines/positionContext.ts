import { dec } from '../domain/money.ts';
import { initialStop } from '../domain/initialStop.ts';
import { windowMillis, type WindowTick } from '../domain/window.ts';
import type { ElasticFrame } from '../domain/elastic.ts';
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

/** The point a step is evaluated at: a price tick, or a CLOCK with the last known price. */
export interface StepPoint {
  readonly ts: Millis;
  readonly price: DecimalString;
  readonly clock: boolean;
  /**
   * Why distance trailing would start at this point (SPEC step 3), worked out once when the
   * step runs the activation phase; null on steps that do not, or when no condition holds.
   */
  readonly activation: ActivationReason | null;
}

/**
 * The stops the regions stand ready to give: trailing renews its offer on every step, SETE when
 * its lock moves, breakeven once when reached. Each step the ratchet takes the best of them.
 */
export interface Offers {
  trailing?: DecimalString;
  elastic?: DecimalString;
  breakeven?: DecimalString;
}

/** How the position ended. */
interface ExitRecord {
  readonly ts: Millis;
  readonly price: DecimalString;
  readonly stop: DecimalString;
  readonly reason: StopSource;
}

/**
 * The position actor's context. Plain JSON (decimals as strings), so a persisted snapshot
 * needs no reviver. Which rules are running is not stored here: the statechart's active
 * states say it.
 */
export interface PositionContext {
  readonly id: string;
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
  /** The standing stop and which rule put it there. */
  readonly stop: DecimalString;
  readonly stopSource: StopSource;
  /** The last accepted tick; CLOCK events never change it. */
  readonly lastTs: Millis | null;
  readonly lastPrice: DecimalString | null;
  /** The latest CLOCK time seen, so an older CLOCK is a no-op. */
  readonly clockTs: Millis | null;
  /** The most favourable accepted price: peak % and peak quote are both its profit. */
  readonly peakPrice: DecimalString | null;
  /** Accepted ticks inside the longest window a rule looks back over. */
  readonly window: readonly WindowTick[];
  /** How long `window` must reach back, in ms (−1: no rule needs it). */
  readonly windowMs: number;
  /** The extreme price since activation (distance trailing). */
  readonly extreme: DecimalString | null;
  /** SETE's lock, in quote currency or (percent unit) percent × entry — see ElasticFrame. */
  readonly lock: DecimalString | null;
  /**
   * The point the latest step was evaluated at (kept afterwards: clearing it would cost a
   * snapshot per tick); null before the first tick.
   */
  readonly step: StepPoint | null;
  readonly offers: Offers;
  readonly exit: ExitRecord | null;
}

/** Returns the longest look-back any configured rule needs, in ms, or −1 when none does. */
function longestWindow(policy: Policy): number {
  const lengths = [policy.trailing?.momentum?.windowSeconds, policy.elastic?.bigJump?.windowSeconds]
    .filter((s): s is string => s !== undefined)
    .map(windowMillis);
  return lengths.length === 0 ? -1 : Math.max(...lengths);
}

/** Returns the context of a freshly opened position, its initial stop already placed. */
export function createPositionContext(input: PositionInput): PositionContext {
  const { market, position, policy } = input;
  const entry = dec(position.entryPrice);
  const stop = initialStop(policy.initialStop, entry, position.side, dec(market.tickSize));
  return {
    id: input.id ?? 'position',
    market,
    position,
    policy,
    stop: stop.toFixed(),
    stopSource: 'initial',
    lastTs: null,
    lastPrice: null,
    clockTs: null,
    peakPrice: null,
    window: [],
    windowMs: longestWindow(policy),
    extreme: null,
    lock: null,
    step: null,
    offers: {},
    exit: null,
  };
}

/** Returns the SETE frame of a position whose policy has an elastic block. */
export function elasticFrame(context: PositionContext): ElasticFrame {
  return {
    unit: context.policy.elastic?.unit ?? 'quote',
    entry: dec(context.position.entryPrice),
    quantity: dec(context.position.quantity),
    side: context.position.side,
    tickSize: dec(context.market.tickSize),
  };
}
