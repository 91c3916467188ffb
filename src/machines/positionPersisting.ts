import type { AnyStateMachine } from 'xstate';

/** An XState machine snapshot, as far as persisting reads it. */
type Snapshot = Record<string, unknown>;

const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0;

/**
 * Returns `machine` (the position statechart, changed in place) persisting its snapshots as
 * XState does — the same fields in the same order, the context as it is — without XState's
 * generic walk for actors to replace: a position's context holds only plain values (its type
 * has no actor in it). A snapshot with children or history is persisted by XState.
 */
export function withPlainPersistence<M extends AnyStateMachine>(machine: M): M {
  const full = machine.getPersistedSnapshot.bind(machine) as unknown as (
    snapshot: Snapshot,
    options?: unknown,
  ) => Snapshot;
  const getPersistedSnapshot = (snapshot: Snapshot, options?: unknown) => {
    if (!isEmpty(snapshot.children) || !isEmpty(snapshot.historyValue))
      return full(snapshot, options);
    // XState's order: the snapshot's own JSON fields, then context and children.
    return {
      status: snapshot.status,
      output: snapshot.output,
      error: snapshot.error,
      value: snapshot.value,
      historyValue: {},
      context: snapshot.context,
      children: {},
    };
  };
  (machine as { getPersistedSnapshot: unknown }).getPersistedSnapshot = getPersistedSnapshot;
  return machine;
}
