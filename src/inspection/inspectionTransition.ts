import type { InspectedTransition } from './inspectionRecord.ts';

/**
 * The structural view of an XState transition definition that the inspector needs. XState's
 * own TransitionDefinition type is generic over the whole machine; the inspector reads only
 * these fields, so it accepts any machine.
 */
export interface TransitionLike {
  readonly source: StateNodeLike;
  readonly target?: readonly StateNodeLike[] | undefined;
  readonly eventType: string;
  readonly guard?: unknown;
  readonly actions?: readonly unknown[];
}

/** The structural view of an XState state node used to name transitions. */
export interface StateNodeLike {
  readonly id: string;
  readonly transitions: ReadonlyMap<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[] | undefined;
}

/** The event name the inspector shows for eventless (`always`) transitions. */
const ALWAYS_EVENT = 'always';

/** Returns a readable name for a guard: its type, or `and(a, b)` for combinators; null when absent. */
function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    // xstate's and()/or()/not() return functions carrying their operands in `guards`.
    const operands = (guard as { guards?: unknown[] }).guards;
    if (Array.isArray(operands))
      return `${guard.name}(${operands.map((g) => guardLabel(g) ?? '?').join(', ')})`;
    return guard.name === '' ? 'inline guard' : guard.name;
  }
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string')
    return guard.type;
  return 'guard';
}

function actionLabel(action: unknown): string {
  if (typeof action === 'string') return action;
  if (
    typeof action === 'object' &&
    action !== null &&
    'type' in action &&
    typeof action.type === 'string'
  ) {
    return action.type;
  }
  if (typeof action === 'function') return action.name === '' ? 'inline action' : action.name;
  return 'action';
}

/**
 * Returns the stable id of a transition: `<source id>:<event>:<index>`, the index counting
 * that source's transitions for the same event in definition order. Stable across runs
 * because it depends only on the machine definition.
 */
function transitionId(t: TransitionLike): string {
  const always = t.source.always ?? [];
  const alwaysIndex = always.indexOf(t);
  if (alwaysIndex >= 0) return `${t.source.id}:${ALWAYS_EVENT}:${alwaysIndex}`;
  const siblings = t.source.transitions.get(t.eventType) ?? [];
  return `${t.source.id}:${t.eventType}:${Math.max(0, siblings.indexOf(t))}`;
}

/** Returns the transition as plain JSON for an inspection record or the machine graph. */
export function describeTransition(t: TransitionLike): InspectedTransition {
  const isAlways = (t.source.always ?? []).includes(t);
  return {
    id: transitionId(t),
    source: t.source.id,
    targets: (t.target ?? []).map((n) => n.id),
    event: isAlways ? ALWAYS_EVENT : t.eventType,
    guard: guardLabel(t.guard),
    actions: (t.actions ?? []).map(actionLabel),
  };
}
