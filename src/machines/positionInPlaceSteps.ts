import type { AnyActorScope, AnyStateMachine, EventObject } from 'xstate';
import type { Policy } from '../domain/types.ts';
import type { PositionContext } from './positionContext.ts';
import type { PositionMachineEvent } from './positionEvents.ts';
import { emitThrough, reportMicrostep, type PositionScope } from './positionScope.ts';
import { inPlaceChanges, inPlaceEvents, isQuiet, staysInState, stepOf } from './positionStep.ts';

/** The fields of an XState machine snapshot the shortcut reads or writes. */
interface SnapshotLike {
  readonly status: string;
  readonly machine: unknown;
  readonly context: PositionContext;
  readonly value: unknown;
}

/** The state value of an open position: each region's active state. */
interface OpenValue {
  readonly distance: unknown;
  readonly breakeven: unknown;
  readonly elastic: unknown;
}

/**
 * Returns the open position's region values, or undefined when `value` is not an open
 * position at rest (exited, or a region still `off` whose rule the policy has: its eventless
 * transition would still have to run).
 */
function restingOpen(value: unknown, policy: Policy): OpenValue | undefined {
  const open = (value as { open?: OpenValue }).open;
  if (open === undefined) return undefined;
  if (open.distance === 'off' && policy.trailing !== undefined) return undefined;
  if (open.breakeven === 'off' && policy.breakeven !== undefined) return undefined;
  if (open.elastic === 'off' && policy.elastic !== undefined) return undefined;
  return open;
}

/** Returns `snapshot` with `context`: XState's snapshot fields in XState's order, one shape. */
function withContext(snapshot: SnapshotLike, context: PositionContext): SnapshotLike {
  const s = snapshot as unknown as Record<string, unknown>;
  return {
    status: s.status,
    output: s.output,
    error: s.error,
    machine: s.machine,
    context,
    _nodes: s._nodes,
    value: s.value,
    tags: s.tags,
    children: s.children,
    historyValue: s.historyValue,
    matches: s.matches,
    hasTag: s.hasTag,
    can: s.can,
    getMeta: s.getMeta,
    toJSON: s.toJSON,
  } as unknown as SnapshotLike;
}

/**
 * Returns `context` with `changes` written: one literal in the context's field order (what
 * `{ ...context, ...changes }` makes for a position's context, without the generic copy). No
 * change is ever `undefined`, so an absent field keeps the context's value.
 */
function changed(context: PositionContext, changes: Partial<PositionContext>): PositionContext {
  return {
    id: changes.id ?? context.id,
    market: changes.market ?? context.market,
    position: changes.position ?? context.position,
    policy: changes.policy ?? context.policy,
    scale: changes.scale ?? context.scale,
    stop: changes.stop ?? context.stop,
    stopSource: changes.stopSource ?? context.stopSource,
    lastTs: changes.lastTs === undefined ? context.lastTs : changes.lastTs,
    last: changes.last === undefined ? context.last : changes.last,
    clockTs: changes.clockTs === undefined ? context.clockTs : changes.clockTs,
    peak: changes.peak === undefined ? context.peak : changes.peak,
    extreme: changes.extreme === undefined ? context.extreme : changes.extreme,
    window: changes.window ?? context.window,
    lock: changes.lock === undefined ? context.lock : changes.lock,
    step: changes.step === undefined ? context.step : changes.step,
    exit: changes.exit === undefined ? context.exit : changes.exit,
  };
}

const isAccelerated = (open: OpenValue) =>
  (open.distance as { trailing?: unknown }).trailing === 'accelerated';

/**
 * Returns `machine` (the position statechart, changed in place) taking the steps that leave
 * every region where it is — most ticks — directly: the same pure step the guards evaluate,
 * the transition XState would select, its one assign and its emitted events, reported to
 * inspection as the one microstep XState reports, without XState's search for candidate and
 * eventless transitions. Every other event, and any step whose guard throws, runs XState's
 * full macrostep, so snapshots, emitted events and inspection stay what XState makes them.
 */
export function withInPlaceSteps<M extends AnyStateMachine>(machine: M): M {
  const open = machine.getStateNodeById('position.open');
  const transitionsOf = (type: string) => {
    const list = open.transitions.get(type);
    if (list === undefined) throw new Error(`position machine: no ${type} transitions`);
    return list;
  };
  // The order of stepTransitions() and of CLOCK's list in positionMachine.ts.
  const price = transitionsOf('PRICE');
  const clock = transitionsOf('CLOCK');
  const full = machine.transition.bind(machine) as unknown as (
    snapshot: SnapshotLike,
    event: EventObject,
    scope: AnyActorScope,
  ) => SnapshotLike;

  // Which transition XState would select for `event`, when it is one that stays in state.
  const select = (snapshot: SnapshotLike, event: PositionMachineEvent) => {
    if (snapshot.status !== 'active' || snapshot.machine !== machine) return undefined;
    if (event.type !== 'PRICE' && event.type !== 'CLOCK') return undefined;
    const { context } = snapshot;
    const regions = restingOpen(snapshot.value, context.policy);
    if (regions === undefined) return undefined;
    // CLOCK's transitions run at normal pace whatever the state (positionMachine.ts).
    const accelerated = event.type === 'PRICE' && isAccelerated(regions);
    let step;
    try {
      step = stepOf(context, event, accelerated);
    } catch {
      // A step that throws (a damaged snapshot) fails the way XState reports a guard's error.
      return undefined;
    }
    if (event.type === 'CLOCK')
      return staysInState(step) ? { step, taken: clock[0], quiet: false } : undefined;
    if (isQuiet(step)) return { step, taken: price[accelerated ? 1 : 0], quiet: true };
    if (staysInState(step)) return { step, taken: price[accelerated ? 3 : 2], quiet: false };
    return undefined;
  };

  const transition = (snapshot: SnapshotLike, event: EventObject, actorScope: AnyActorScope) => {
    const selected = select(snapshot, event as PositionMachineEvent);
    if (selected === undefined) return full(snapshot, event, actorScope);
    const scope = actorScope as unknown as PositionScope;
    const { context } = snapshot;
    const changes = inPlaceChanges(context, selected.step);
    const next: SnapshotLike =
      changes === undefined ? snapshot : withContext(snapshot, changed(context, changes));
    // A quiet step announces nothing: no list of events to make.
    if (!selected.quiet)
      for (const emitted of inPlaceEvents(selected.step))
        emitThrough(scope, emitted, next.context, event);
    reportMicrostep(scope, event, next, [selected.taken]);
    return next;
  };
  (machine as { transition: unknown }).transition = transition;
  return machine;
}
