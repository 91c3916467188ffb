import { activationReason, type ActivationRule } from './activation.ts';
import {
  engagedLock,
  jumpLock,
  lockFacts,
  peakLockFloor,
  pulledLock,
  shownLock,
} from './elastic.ts';
import { parseDecimal } from './money.ts';
import { momentumAccelerates, momentumReference, momentumReleases } from './momentum.ts';
import { PriceRangeError } from './priceFrame.ts';
import { MAX_SCALE, MAX_UNITS, plainUnits, pow10, unitsOf, unitsText } from './priceUnits.ts';
import { lockOf, positionMemo, stopUnits, type PositionMemo } from './positionRules.ts';
import { ratchet, type CandidateSource } from './ratchet.ts';
import { tierIndex, trailingStop } from './trailing.ts';
import { pushWindow, windowLow, windowStart, type PriceWindow } from './window.ts';

/** Returns `window` without the ticks no rule of `position` looks back to at `now`. */
export function trimWindow(position: PositionSetup & PositionState, now: number): PriceWindow {
  const keepMs = positionMemo(position.market, position.position, position.policy, position.scale)
    .rules.keepMs;
  if (keepMs < 0) return [];
  return position.window.slice(windowStart(position.window, now, keepMs));
}
import type {
  ActivationReason,
  DecimalString,
  Market,
  Millis,
  Policy,
  PositionEvent,
  PositionSpec,
  RejectReason,
  StopSource,
} from './types.ts';

/** What a position is: fixed at opening. */
export interface PositionSetup {
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
}

/**
 * What the step reads and writes: the facts of a position that change, as few as the rules
 * need. Prices are integer units of 10^−scale, as received (not signed); the stop and the SETE
 * lock, which leave the engine as they are, are exact decimal text.
 */
export interface PositionState {
  readonly scale: number;
  /** The standing stop and which rule put it there. */
  readonly stop: DecimalString;
  readonly stopSource: StopSource;
  /** The last accepted tick; CLOCK events never change it. */
  readonly lastTs: Millis | null;
  readonly last: number | null;
  /** The latest CLOCK time a step ran at, so an older CLOCK is a no-op. */
  readonly clockTs: Millis | null;
  /** The most favourable accepted price: peak % and peak quote are both its profit. */
  readonly peak: number | null;
  /** The extreme since activation; null while distance trailing has not started. */
  readonly extreme: number | null;
  /** Accepted ticks inside the longest window a rule looks back over. */
  readonly window: PriceWindow;
  /** SETE's lock (quote, or percent × entry); null until SETE engages. */
  readonly lock: DecimalString | null;
}

/** One input of the step: a price tick (its text as received) or the current time. */
export type StepInput =
  | { readonly type: 'PRICE'; readonly ts: Millis; readonly price: string }
  | { readonly type: 'CLOCK'; readonly ts: Millis };

/** What one step decided, for the statechart to route and announce. */
export interface StepOutcome {
  /**
   * `ignored`: a CLOCK that starts no step; `rejected`: SPEC step 0 (see `why`); `exits`: the
   * price crosses the standing stop (step 1); `stepped`: steps 2–8 ran.
   */
  readonly kind: 'ignored' | 'rejected' | 'exits' | 'stepped';
  readonly ts: Millis;
  readonly why: RejectReason | undefined;
  /** The step's price, as units of 10^−scale (the scale in `changes`, if it changed). */
  readonly price: number;
  readonly scale: number;
  /** What to write: the changed facts only. */
  readonly changes: Partial<PositionState>;
  readonly activation: ActivationReason | undefined;
  readonly breakeven: boolean;
  readonly momentum: 'accelerated' | 'decelerated' | undefined;
  readonly engaged: boolean;
  readonly peakLocked: boolean;
  /** The big-jump lock as people read it, when one was taken. */
  readonly bigJumpLock: DecimalString | undefined;
  /** The rule whose candidate became the stop (the new stop is `changes.stop`). */
  readonly moved: CandidateSource | undefined;
  /** Step 8: the price crosses the stop as it now stands. */
  readonly exits: boolean;
  /** Whether a region of the statechart changes state (or the position exits). */
  readonly changesState: boolean;
}

const NONE = Number.NEGATIVE_INFINITY;

function outcome(
  kind: StepOutcome['kind'],
  ts: Millis,
  why: RejectReason | undefined,
): StepOutcome {
  return {
    kind,
    ts,
    why,
    price: 0,
    scale: 0,
    changes: {},
    activation: undefined,
    breakeven: false,
    momentum: undefined,
    engaged: false,
    peakLocked: false,
    bigJumpLock: undefined,
    moved: undefined,
    exits: false,
    changesState: kind === 'exits',
  };
}

/** Returns the step's price as decimal text (for event lines). */
export function outcomePrice(step: StepOutcome): DecimalString {
  return unitsText(step.price, step.scale);
}

/**
 * Appends to `events` what a step that stays in state announces, in SPEC order: a big-jump
 * lock, then a moved stop. Appends, so a run of steps fills one array.
 */
export function announceInPlace(step: StepOutcome, events: PositionEvent[]): void {
  if (step.bigJumpLock !== undefined)
    events.push({ type: 'bigJumpLocked', ts: step.ts, lock: step.bigJumpLock });
  if (step.moved !== undefined) {
    events.push({
      type: 'stopMoved',
      ts: step.ts,
      price: outcomePrice(step),
      stop: step.changes.stop as string,
      source: step.moved,
    });
  }
}

interface Rescaled {
  readonly memo: PositionMemo;
  readonly changes: Partial<PositionState>;
  readonly state: PositionSetup & PositionState;
}

/**
 * Returns the position moved to the finer `scale` a price needs (every integer fact times a
 * power of ten), or undefined when a fact would leave the exact range there.
 */
function rescale(p: PositionSetup & PositionState, scale: number): Rescaled | undefined {
  if (scale > MAX_SCALE) return undefined;
  const factor = pow10(scale - p.scale);
  const up = (v: number | null): number | null => (v === null ? null : v * factor);
  const fits = (v: number | null) => v === null || Math.abs(v * factor) <= MAX_UNITS;
  if (!fits(p.last) || !fits(p.peak) || !fits(p.extreme)) return undefined;
  const window = p.window.map((v, i) => (i % 2 === 1 ? v * factor : v));
  if (window.some((v, i) => i % 2 === 1 && Math.abs(v) > MAX_UNITS)) return undefined;
  let memo: PositionMemo;
  try {
    memo = positionMemo(p.market, p.position, p.policy, scale);
    stopUnits(memo, p.stop);
  } catch (error) {
    if (error instanceof PriceRangeError || error instanceof RangeError) return undefined;
    throw error;
  }
  const changes: Partial<PositionState> = {
    scale,
    last: up(p.last),
    peak: up(p.peak),
    extreme: up(p.extreme),
    window,
  };
  return { memo, changes, state: { ...p, ...changes } };
}

const isUnits = (v: unknown) => v === null || Number.isSafeInteger(v);
const isTime = (v: unknown) => v === null || typeof v === 'number';
const isText = (v: unknown) => typeof v === 'string';

/**
 * Throws when `p` is not a state the step writes (a damaged or foreign snapshot), naming the
 * first bad fact: acting on it would decide stops from garbage.
 */
function checkState(p: PositionState): void {
  const bad: [string, unknown] | undefined = !Number.isSafeInteger(p.scale)
    ? ['scale', p.scale]
    : !isText(p.stop)
      ? ['stop', p.stop]
      : !isUnits(p.last)
        ? ['last', p.last]
        : !isUnits(p.peak)
          ? ['peak', p.peak]
          : !isUnits(p.extreme)
            ? ['extreme', p.extreme]
            : !Array.isArray(p.window)
              ? ['window', p.window]
              : !(p.lock === null || isText(p.lock))
                ? ['lock', p.lock]
                : !isTime(p.lastTs) || !isTime(p.clockTs)
                  ? ['lastTs', p.lastTs]
                  : undefined;
  if (bad !== undefined)
    throw new TypeError(
      `the position's saved state is damaged: ${bad[0]} is ${JSON.stringify(bad[1])}, which no step writes`,
    );
}

/**
 * Returns SPEC "The step" for one input: step 0 (bad ticks), 1 (the standing stop), 2 (peak,
 * window), 3 (activation), 4 (breakeven), 5 (trailing and momentum), 6 (SETE), 7 (the ratchet)
 * and 8 (the stop as it now stands). A CLOCK re-runs activation and breakeven at its time with
 * the last accepted price, while one of them is still waiting. `accelerated` is the momentum
 * pace the statechart is in; a CLOCK step does not depend on it (it feeds no momentum, and
 * the only trailing candidate it can make is a fresh activation's, at normal pace). Pure: the
 * position is not changed; `changes` says what to write.
 */
export function stepPosition(
  position: PositionSetup & PositionState,
  input: StepInput,
  accelerated: boolean,
): StepOutcome {
  return step(position, input, accelerated, false);
}

/**
 * Returns {@link stepPosition}'s outcome for a position whose `window` array belongs to the
 * caller alone (a working copy no snapshot shares): the tick is appended to it in place and
 * nothing is dropped from its front, so a run of ticks costs no copy per tick. The caller
 * trims it once at the end with {@link trimWindow}; until then it may hold ticks older than any
 * rule looks back, which no rule reads.
 */
export function stepOwnedWindow(
  position: PositionSetup & PositionState,
  input: StepInput,
  accelerated: boolean,
): StepOutcome {
  return step(position, input, accelerated, true);
}

function step(
  position: PositionSetup & PositionState,
  input: StepInput,
  accelerated: boolean,
  ownWindow: boolean,
): StepOutcome {
  checkState(position);
  let p = position;
  let memo = positionMemo(p.market, p.position, p.policy, p.scale);
  let rescaled: Partial<PositionState> | undefined;
  const ts = input.ts;
  let units: number;
  if (input.type === 'CLOCK') {
    if (
      !Number.isFinite(ts) ||
      p.last === null ||
      p.lastTs === null ||
      ts <= p.lastTs ||
      (p.clockTs !== null && ts <= p.clockTs) ||
      !awaitsActivation(memo, p)
    )
      return outcome('ignored', ts, undefined);
    units = p.last;
  } else {
    // Step 0, in the SPEC's order: not a number, not positive, out of order.
    units = plainUnits(input.price, p.scale);
    if (units !== units) {
      const value = parseDecimal(input.price);
      if (value === undefined || !Number.isFinite(ts))
        return outcome('rejected', ts, 'not a number');
      if (value.lte(0)) return outcome('rejected', ts, 'not positive');
      const places = value.decimalPlaces();
      if (places > p.scale) {
        const finer = rescale(p, places);
        // Beyond the exact range is no number the rules can act on (see docs/rules.md).
        if (finer === undefined) return outcome('rejected', ts, 'not a number');
        memo = finer.memo;
        rescaled = finer.changes;
        p = finer.state;
      }
      const exact = unitsOf(value, p.scale);
      if (exact === undefined) return outcome('rejected', ts, 'not a number');
      units = exact;
    } else {
      if (!Number.isFinite(ts)) return outcome('rejected', ts, 'not a number');
      if (units === 0) return outcome('rejected', ts, 'not positive');
    }
    if (p.lastTs !== null && ts < p.lastTs) return outcome('rejected', ts, 'out of order');
  }
  return runRules(
    memo,
    p,
    input.type === 'CLOCK',
    ts,
    units,
    accelerated,
    rescaled,
    ownWindow && rescaled === undefined,
  );
}

/** Returns true while activation or breakeven still waits (what a CLOCK can change). */
function awaitsActivation(memo: PositionMemo, p: PositionState): boolean {
  const rules = memo.rules;
  if (rules.trailing !== undefined && p.extreme === null) return true;
  const breakeven = rules.breakeven;
  return (
    breakeven !== undefined && (p.peak === null || rules.frame.sign * p.peak < breakeven.trigger)
  );
}

function runRules(
  memo: PositionMemo,
  p: PositionSetup & PositionState,
  clock: boolean,
  ts: Millis,
  units: number,
  accelerated: boolean,
  rescaled: Partial<PositionState> | undefined,
  ownWindow: boolean,
): StepOutcome {
  const rules = memo.rules;
  const frame = rules.frame;
  const sign = frame.sign;
  const scale = frame.scale;
  const price = sign * units;
  const stop = stopUnits(memo, p.stop);
  // Most steps are price ticks at the position's scale: their changes start as one literal.
  const changes: { -readonly [K in keyof PositionState]?: PositionState[K] } =
    rescaled !== undefined ? { ...rescaled } : clock ? {} : { lastTs: ts, last: units };
  if (clock) changes.clockTs = ts;
  else {
    if (rescaled !== undefined) {
      changes.lastTs = ts;
      changes.last = units;
    }
    // Step 1: the standing stop.
    if (price <= stop) {
      return { ...outcome('exits', ts, undefined), price: units, scale, changes };
    }
  }
  // Step 2: peak and window (a CLOCK changes neither).
  const peakBefore = p.peak === null ? NONE : sign * p.peak;
  let peak = peakBefore;
  let window = p.window;
  if (!clock) {
    if (price > peak) {
      peak = price;
      changes.peak = units;
    }
    if (rules.keepMs >= 0) {
      if (ownWindow) (window as number[]).push(ts, units);
      else window = pushWindow(window, ts, units, rules.keepMs);
      changes.window = window;
    }
  }
  let changesState = false;
  // Step 3: activation, while armed.
  let activation: ActivationReason | undefined;
  const trailing = rules.trailing;
  if (trailing !== undefined && p.extreme === null) {
    activation = activationReason(rules.activation as ActivationRule, ts, price);
    if (activation !== undefined) changesState = true;
  }
  // Step 4: breakeven, while waiting (it was waiting while the peak stayed below the trigger).
  let breakevenStop = NONE;
  const breakevenRule = rules.breakeven;
  if (
    breakevenRule !== undefined &&
    peakBefore < breakevenRule.trigger &&
    price >= breakevenRule.trigger
  ) {
    breakevenStop = breakevenRule.stop;
    changesState = true;
  }
  // Step 5: distance trailing, with momentum.
  let trailingStopNow = NONE;
  let momentum: StepOutcome['momentum'];
  if (trailing !== undefined && (p.extreme !== null || activation !== undefined)) {
    let fast = activation === undefined ? accelerated : false;
    const pace = fast;
    const momentumRule = rules.momentum;
    if (momentumRule !== undefined && !clock) {
      const refUnits = momentumReference(momentumRule, window, ts);
      if (refUnits === refUnits) {
        const ref = sign * refUnits;
        if (!fast && momentumAccelerates(momentumRule, price, ref, refUnits)) {
          momentum = 'accelerated';
          fast = true;
        } else if (fast && momentumReleases(momentumRule, price, ref, refUnits)) {
          momentum = 'decelerated';
          fast = false;
        }
        if (momentum !== undefined) changesState = true;
      }
    }
    const extremeBefore = activation !== undefined ? NONE : sign * (p.extreme as number);
    const extreme = price > extremeBefore ? price : extremeBefore;
    if (extreme !== extremeBefore) changes.extreme = sign * extreme;
    const tier = tierIndex(trailing, peak);
    if (
      extreme !== extremeBefore ||
      fast !== pace ||
      (peak !== peakBefore && tier !== tierIndex(trailing, peakBefore))
    ) {
      trailingStopNow = trailingStop(trailing, tier, fast, extreme, frame);
    }
  }
  // Step 6: SETE, on price ticks.
  let elasticStopNow = NONE;
  let engaged = false;
  let peakLocked = false;
  let bigJump: DecimalString | undefined;
  const elastic = rules.elastic;
  if (elastic !== undefined && !clock && (p.lock !== null || peak >= elastic.engage)) {
    const lockedBefore =
      p.lock !== null && elastic.peakLockAt !== undefined && peakBefore >= elastic.peakLockAt;
    let lock: bigint;
    let moved = false;
    let known = p.lock === null ? undefined : lockOf(memo, elastic, p.lock);
    if (known === undefined) {
      engaged = true;
      lock = engagedLock(elastic, peak);
      moved = true;
    } else {
      lock = known.n;
      if (peak !== peakBefore && peak >= known.pullbackPeak) {
        lock = pulledLock(elastic, peak);
        moved = true;
        known = undefined;
      }
    }
    const jump = elastic.jump;
    if (jump !== undefined && (known === undefined || price >= known.jumpBeat)) {
      const low = windowLow(window, windowStart(window, ts, jump.windowMs), price, sign);
      if (price - low >= jump.rise) {
        const locked = jumpLock(elastic, price);
        if (locked > lock) {
          lock = locked;
          moved = true;
          bigJump = shownLock(elastic, lock, p.position.entryPrice);
        }
      }
    }
    if (elastic.peakLockAt !== undefined && !lockedBefore && peak >= elastic.peakLockAt) {
      peakLocked = true;
      const floored = peakLockFloor(elastic, lock);
      if (floored !== lock) {
        lock = floored;
        moved = true;
      }
    }
    if (engaged || peakLocked) changesState = true;
    if (moved) {
      const facts = lockFacts(elastic, lock);
      memo.lock = facts;
      changes.lock = facts.text;
      elasticStopNow = facts.stop;
    }
  }
  // Step 7: the ratchet; step 8: the stop as it now stands.
  const source = ratchet(stop, trailingStopNow, elasticStopNow, breakevenStop);
  let standing = stop;
  if (source !== undefined) {
    standing =
      source === 'trailing'
        ? trailingStopNow
        : source === 'elastic'
          ? elasticStopNow
          : breakevenStop;
    changes.stop = unitsText(sign * standing, scale);
    changes.stopSource = source;
    memo.stopText = changes.stop;
    memo.stopUnits = standing;
  }
  const exits = price <= standing;
  return {
    kind: 'stepped',
    ts,
    why: undefined,
    price: units,
    scale,
    changes,
    activation,
    breakeven: breakevenStop !== NONE,
    momentum,
    engaged,
    peakLocked,
    bigJumpLock: bigJump,
    moved: source,
    exits,
    changesState: changesState || exits,
  };
}
