import { activationRule, type ActivationRule } from './activation.ts';
import { breakevenRule, type BreakevenRule } from './breakeven.ts';
import { elasticRule, lockFacts, lockOfText, type ElasticRule, type LockFacts } from './elastic.ts';
import { initialStop } from './initialStop.ts';
import { momentumRule, type MomentumRule } from './momentum.ts';
import { priceFrame, scaleOf, type PriceFrame } from './priceFrame.ts';
import { unitsOfText, unitsText } from './priceUnits.ts';
import { trailingRule, type TrailingRule } from './trailing.ts';
import { windowMillis } from './window.ts';
import type { DecimalString, Market, Policy, PositionSpec } from './types.ts';

/**
 * A position's policy worked out once into integer thresholds and constants at one price
 * scale: what the step compares each tick with. Built from the (immutable) market, position and
 * policy, so it is cached and shared by positions alike, and never stored: a snapshot keeps
 * only the facts that change.
 */
export interface PositionRules {
  readonly policy: Policy;
  readonly frame: PriceFrame;
  /** Undefined when the policy has no trailing block (the distance region stays off). */
  readonly activation: ActivationRule | undefined;
  readonly trailing: TrailingRule | undefined;
  readonly momentum: MomentumRule | undefined;
  readonly breakeven: BreakevenRule | undefined;
  readonly elastic: ElasticRule | undefined;
  /** How far back the window must reach, in ms (−1: no rule looks back). */
  readonly keepMs: number;
}

/**
 * One position's rules and what it last read: its stop and its lock change rarely, so their
 * integer forms are worked out once per change instead of once per tick.
 */
export interface PositionMemo {
  readonly market: Market;
  readonly policy: Policy;
  readonly rules: PositionRules;
  stopText: DecimalString | undefined;
  stopUnits: number;
  lock: LockFacts | undefined;
}

function compile(
  market: Market,
  position: PositionSpec,
  policy: Policy,
  scale: number,
): PositionRules {
  const frame = priceFrame(market, position, scale);
  const trailing = policy.trailing;
  const lengths = [trailing?.momentum?.windowSeconds, policy.elastic?.bigJump?.windowSeconds]
    .filter((s): s is string => s !== undefined)
    .map(windowMillis);
  return {
    policy,
    frame,
    activation:
      trailing === undefined
        ? undefined
        : activationRule(policy.activation, frame, position.openedAt),
    trailing: trailing === undefined ? undefined : trailingRule(trailing, frame),
    momentum: trailing?.momentum === undefined ? undefined : momentumRule(trailing.momentum),
    breakeven: policy.breakeven === undefined ? undefined : breakevenRule(policy.breakeven, frame),
    elastic:
      policy.elastic === undefined
        ? undefined
        : elasticRule(policy.elastic, frame, position.quantity),
    keepMs: lengths.length === 0 ? -1 : Math.max(...lengths),
  };
}

// Positions that share a policy object and open alike (the same market, side, entry, size and
// time) share their rules. Bounded per policy: a policy applied to ever new entries does not
// grow it without end.
const SHARED_LIMIT = 4096;
const shared = new WeakMap<Policy, Map<string, PositionRules>>();

/**
 * Returns the rules of a position at `scale` (cached). Throws PriceRangeError when its numbers
 * cannot be held exactly at that scale.
 */
export function positionRules(
  market: Market,
  position: PositionSpec,
  policy: Policy,
  scale: number,
): PositionRules {
  let byKey = shared.get(policy);
  if (byKey === undefined) {
    byKey = new Map();
    shared.set(policy, byKey);
  }
  const key = `${scale}|${market.tickSize}|${position.side}|${position.entryPrice}|${position.quantity}|${position.openedAt}`;
  let rules = byKey.get(key);
  if (rules === undefined) {
    rules = compile(market, position, policy, scale);
    if (byKey.size >= SHARED_LIMIT) byKey.clear();
    byKey.set(key, rules);
  }
  return rules;
}

/** Returns how many rule sets `policy` shares at most (for tests of the bound). */
export function sharedRulesLimit(): number {
  return SHARED_LIMIT;
}

/** Returns how many rule sets are cached for `policy` now. */
export function sharedRulesCount(policy: Policy): number {
  return shared.get(policy)?.size ?? 0;
}

// One memo per position object (its market and policy are fixed with it); WeakMap: it goes
// when the position goes. Made at the first step, not at opening: an idle position costs none.
const memos = new WeakMap<PositionSpec, PositionMemo>();
// Strong references to one position and its memo at most: the bound is one entry.
let lastPosition: PositionSpec | undefined;
let lastMemo: PositionMemo | undefined;

/** Returns the memo of a position at `scale`, with its rules. Throws as {@link positionRules}. */
export function positionMemo(
  market: Market,
  position: PositionSpec,
  policy: Policy,
  scale: number,
): PositionMemo {
  // The last memo asked for first: a run of steps of one position skips the WeakMap lookup.
  const last = lastMemo;
  if (
    lastPosition === position &&
    last !== undefined &&
    last.rules.frame.scale === scale &&
    last.policy === policy &&
    last.market === market
  )
    return last;
  const known = memos.get(position);
  lastPosition = position;
  lastMemo = known;
  if (
    known !== undefined &&
    known.rules.frame.scale === scale &&
    known.policy === policy &&
    known.market === market
  )
    return known;
  const memo: PositionMemo = {
    market,
    policy,
    rules: positionRules(market, position, policy, scale),
    stopText: undefined,
    stopUnits: 0,
    lock: undefined,
  };
  memos.set(position, memo);
  lastMemo = memo;
  return memo;
}

/** Returns the scale a fresh position starts at: the places of its tick size and entry price. */
export function openingScale(market: Market, position: PositionSpec): number {
  return scaleOf(market, position);
}

/** Returns the initial stop of a position, as decimal text. */
export function openingStop(rules: PositionRules): DecimalString {
  const frame = rules.frame;
  return unitsText(frame.sign * initialStop(rules.policy.initialStop, frame), frame.scale);
}

/** Returns the signed units of the stop text `stop`. */
export function stopUnits(memo: PositionMemo, stop: DecimalString): number {
  if (memo.stopText === stop) return memo.stopUnits;
  const frame = memo.rules.frame;
  const units = frame.sign * unitsOfText(stop, frame.scale);
  memo.stopText = stop;
  memo.stopUnits = units;
  return units;
}

/** Returns the lock of the lock text `lock`, with its thresholds. */
export function lockOf(memo: PositionMemo, elastic: ElasticRule, lock: DecimalString): LockFacts {
  const cached = memo.lock;
  if (cached !== undefined && cached.text === lock) return cached;
  const facts = lockFacts(elastic, lockOfText(elastic, lock), lock);
  memo.lock = facts;
  return facts;
}
