import type { AnyActorScope, AnyStateMachine } from 'xstate';
import type { Policy } from '../domain/types.ts';
import { createPositionContext, type PositionInput } from './positionContext.ts';
import { emitThrough, reportMicrostep, type PositionScope } from './positionScope.ts';
import { openedEvent } from './positionStep.ts';

/** An XState machine snapshot, as far as the opening copies it. */
type Snapshot = Record<string, unknown> & { readonly status: string };

/** Which regions (distance, breakeven, elastic) leave `off` when a position opens: the policy blocks it has. */
const startsOf = (policy: Policy) => [
  policy.trailing !== undefined,
  policy.breakeven !== undefined,
  policy.elastic !== undefined,
];

/**
 * Returns `machine` (the position statechart, changed in place) opening positions from a
 * template: the first position of each shape (which regions its policy starts) opens through
 * XState, and its snapshot — the active states every position of that shape rests in — is
 * reused with each later position's own context, its `opened` event emitted and its eventless
 * transitions reported to inspection as XState reports them. A context that cannot be made
 * (a price out of range) opens through XState, which reports the error.
 */
export function withKnownOpenings<M extends AnyStateMachine>(machine: M): M {
  const full = machine.getInitialSnapshot.bind(machine) as unknown as (
    scope: AnyActorScope,
    input: PositionInput,
  ) => Snapshot;
  // Each region's way out of `off`, in the order XState selects them (document order).
  const leave = ['distance', 'breakeven', 'elastic'].map((region) => {
    const off = machine.getStateNodeById(`position.open.${region}.off`);
    const always = off.always?.[0];
    if (always === undefined) throw new Error(`position machine: ${region}.off has no exit`);
    return always;
  });
  const templates = new Map<string, Snapshot>();

  const getInitialSnapshot = (actorScope: AnyActorScope, input: PositionInput) => {
    let created;
    try {
      created = createPositionContext(input);
    } catch {
      return full(actorScope, input);
    }
    const starts = startsOf(created.policy);
    const shape = starts.join();
    const template = templates.get(shape);
    if (template === undefined) {
      const first = full(actorScope, input);
      if (first.status === 'active') templates.set(shape, first);
      return first;
    }
    const scope = actorScope as unknown as PositionScope;
    const event = { type: 'xstate.init', input };
    // XState assigns the context function's result onto an empty context: a copy.
    const context = { ...created };
    const snapshot = { ...template, context, children: {}, historyValue: {} };
    emitThrough(scope, openedEvent(context), context, event);
    const taken = leave.filter((_, i) => starts[i]);
    if (taken.length > 0) reportMicrostep(scope, event, snapshot, taken);
    return snapshot;
  };
  (machine as { getInitialSnapshot: unknown }).getInitialSnapshot = getInitialSnapshot;
  return machine;
}
