import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { positionMachine, type PositionMachine } from '../machines/positionMachine.ts';
import type { PositionInput } from '../machines/positionContext.ts';
import type { PersistedPositionSnapshot } from './checkpoint.ts';

/** A persisted snapshot that the current machine cannot restore (it names unknown states). */
export class SnapshotRestoreError extends Error {
  override readonly name = 'SnapshotRestoreError';
}

/**
 * Returns the readable message of an actor error: XState keeps what was thrown, and a
 * persisted error comes back as plain JSON (an Error serializes to `{}`).
 */
export function describeActorError(error: unknown): string {
  return describe(error).replace(/\s*\n\s*/g, ' ');
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    const json = JSON.stringify(error);
    if (json !== '{}') return json;
  }
  return 'the snapshot was saved in status error (the actor had failed)';
}

/**
 * Returns an actor of the position machine restored from `snapshot`, not yet started, so the
 * caller can subscribe to its emitted events first. Entry actions do not run again on
 * restore, so a restored position never re-announces `opened`. `options.inspect` receives
 * XState's inspection stream, as for a fresh actor. Throws SnapshotRestoreError
 * when the machine refuses the snapshot (XState would otherwise start it in `status: 'error'`
 * and report the error asynchronously, out of the caller's reach).
 */
export function restorePosition(
  positionId: string,
  snapshot: PersistedPositionSnapshot,
  options: { readonly inspect?: (event: InspectionEvent) => void } = {},
): Actor<PositionMachine> {
  let actor: Actor<PositionMachine>;
  try {
    // XState ignores `input` when restoring (the context comes from the snapshot), but the
    // machine's types require one.
    actor = createActor(positionMachine, {
      snapshot,
      input: undefined as unknown as PositionInput,
      ...options,
    });
  } catch (error) {
    throw new SnapshotRestoreError(
      `position ${positionId}: snapshot cannot be restored: ${String(error)}`,
    );
  }
  const restored = actor.getSnapshot();
  if (restored.status === 'error') {
    const why = describeActorError(restored.error);
    throw new SnapshotRestoreError(
      `position ${positionId}: snapshot cannot be restored by this machine: ${why}`,
    );
  }
  return actor;
}
