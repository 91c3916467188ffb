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
  scope.actionExecutor({
    type: 'xstate.emit',
    info: { context, event, self: scope.self, system: scope.system },
    params: { event: emitted },
    exec: executorOf(scope),
  });
}

// One executor per actor scope, not two closures per emitted event: a moved stop is an
// emitted event on most ticks of a trend.
const executors = new WeakMap<PositionScope, (info: unknown, params: EmitParams) => void>();

interface EmitParams {
  readonly event: PositionEvent;
}

function executorOf(scope: PositionScope): (info: unknown, params: EmitParams) => void {
  let exec = executors.get(scope);
  if (exec === undefined) {
    const emit = scope.emit;
    exec = (_info, params) => scope.defer(emit.bind(null, params.event));
    executors.set(scope, exec);
  }
  return exec;
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
