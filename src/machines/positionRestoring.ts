import type { AnyActorScope, AnyStateMachine } from 'xstate';

/** An XState machine snapshot, live or persisted, as far as restoring reads it. */
type Snapshot = Record<string, unknown>;

const MAX_KNOWN = 256;

const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0;

/** Returns whether `part` holds an actor reference as XState persists one, at any depth. */
function holdsActorRef(part: unknown, seen: Set<unknown>): boolean {
  if (typeof part !== 'object' || part === null || seen.has(part)) return false;
  seen.add(part);
  if ('xstate$$type' in part) return true;
  for (const key in part) if (holdsActorRef((part as Snapshot)[key], seen)) return true;
  return false;
}

/**
 * Returns `machine` (the position statechart, changed in place) restoring persisted snapshots
 * without resolving their state value anew each time: the first snapshot restored with each
 * state value is restored by XState, and its active state nodes, value and tags serve every
 * later one with the same value. A snapshot with children, history or actor references in its
 * context (none of which the position machine writes) is always restored by XState.
 */
export function withKnownRestores<M extends AnyStateMachine>(machine: M): M {
  const full = machine.restoreSnapshot.bind(machine) as unknown as (
    snapshot: Snapshot,
    scope: AnyActorScope,
  ) => Snapshot;
  // One entry per state value restored: the statechart's configurations are few, and a cap
  // keeps odd spellings of them (key order) from growing it.
  const restored = new Map<string, Snapshot>();

  const restoreSnapshot = (snapshot: Snapshot, scope: AnyActorScope) => {
    if (
      !isEmpty(snapshot.children) ||
      !isEmpty(snapshot.historyValue ?? {}) ||
      holdsActorRef(snapshot.context, new Set())
    )
      return full(snapshot, scope);
    const key = JSON.stringify(snapshot.value);
    const known = restored.get(key);
    if (known === undefined) {
      const first = full(snapshot, scope);
      if (restored.size < MAX_KNOWN) restored.set(key, first);
      return first;
    }
    // The fields and order of XState's createMachineSnapshot.
    return {
      status: snapshot.status,
      output: snapshot.output,
      error: snapshot.error,
      machine: known.machine,
      context: snapshot.context,
      _nodes: known._nodes,
      value: known.value,
      tags: known.tags,
      children: {},
      historyValue: {},
      matches: known.matches,
      hasTag: known.hasTag,
      can: known.can,
      getMeta: known.getMeta,
      toJSON: known.toJSON,
    };
  };
  (machine as { restoreSnapshot: unknown }).restoreSnapshot = restoreSnapshot;
  return machine;
}
