import type { EventObject } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';

/**
 * The parts of XState's actor scope that the position machine's shortcuts use: the action
 * executor (which reports each action to inspection and defers it until the actor runs), the
 * emitter and the system's inspection hook.
 */
export interface PositionScope {
  readonly self: unknown;
  readonly system: { _sendInspectionEvent: (event: object) => void };
  readonly actionExecutor: (action: object) => void;
  readonly defer: (fn: () => void) => void;
  readonly emit: (event: EventObject) => void;
}

/**
 * Emits `emitted` through `scope` exactly as XState's `emit` action does: one `xstate.emit`
 * action, reported to inspection, whose effect reaches the listeners once the step is done.
 */
export function emitThrough(
  scope: PositionScope,
  emitted: PositionEvent,
  context: unknown,
  event: EventObject,
): void {
  const info: EmitInfo = { context, event, self: scope.self, system: scope.system, scope };
  scope.actionExecutor({
    type: 'xstate.emit',
    info,
    params: { event: emitted },
    exec: emitLater,
  });
}

/** XState's action arguments, with the scope the emit goes through. */
interface EmitInfo {
  readonly context: unknown;
  readonly event: EventObject;
  readonly self: unknown;
  readonly system: unknown;
  readonly scope: PositionScope;
}

// One shared executor, not two closures per emitted event (a moved stop is an emitted event on
// most ticks of a trend) nor one kept per actor (memory for every position).
function emitLater(info: EmitInfo, params: { readonly event: PositionEvent }): void {
  info.scope.defer(info.scope.emit.bind(null, params.event));
}

/** Reports one microstep to inspection, as XState's macrostep does after taking `transitions`. */
export function reportMicrostep(
  scope: PositionScope,
  event: EventObject,
  snapshot: unknown,
  transitions: readonly unknown[],
): void {
  scope.system._sendInspectionEvent({
    type: '@xstate.microstep',
    actorRef: scope.self,
    event,
    snapshot,
    _transitions: transitions,
  });
}
