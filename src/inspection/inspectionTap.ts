import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import { inspectContext } from './inspectionContext.ts';
import type { InspectedInput, InspectedTransition, InspectionRecord } from './inspectionRecord.ts';
import { describeTransition, type TransitionLike } from './inspectionTransition.ts';

/** Receives each finished record, in order; replay collects them, the live engine forwards them. */
export type InspectionSink = (record: InspectionRecord) => void;

/** The two hooks a position actor needs to be inspected. */
export interface InspectionTap {
  /** Pass as `createActor(positionMachine, { inspect: tap.inspect })`. */
  readonly inspect: (event: InspectionEvent) => void;
  /**
   * Subscribes to the actor's emitted SPEC events; call before `actor.start()` so the
   * opening record carries `opened`. Returns the unsubscribe function.
   */
  readonly attach: (actor: AnyActorRef) => () => void;
}

/**
 * Returns the ids of every active state node for a state value, ancestors included, in
 * document order: `position`, `position.open`, `position.open.distance`, …
 */
function activeStateIds(rootId: string, value: unknown): string[] {
  const ids = [rootId];
  const walk = (prefix: string, v: unknown): void => {
    if (typeof v === 'string') {
      ids.push(`${prefix}.${v}`);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    for (const [key, child] of Object.entries(v)) {
      ids.push(`${prefix}.${key}`);
      walk(`${prefix}.${key}`, child);
    }
  };
  walk(rootId, value);
  return ids;
}

function inputOf(event: { type: string; ts?: unknown; price?: unknown }): InspectedInput {
  if (event.type === 'PRICE')
    return { type: 'PRICE', ts: Number(event.ts), price: String(event.price) };
  if (event.type === 'CLOCK') return { type: 'CLOCK', ts: Number(event.ts) };
  return { type: 'start' };
}

/**
 * Returns a tap that turns XState's inspection stream of one position actor into one
 * InspectionRecord per macrostep (the start, then each PRICE or CLOCK). Microsteps carry the
 * transitions, emitted events arrive before the macrostep's `@xstate.snapshot`, and the
 * snapshot closes the record — so the record is complete the moment `send` returns, which
 * is what lets a live engine push it to the inspector as it happens.
 */
export function createInspectionTap(sink: InspectionSink): InspectionTap {
  let root: unknown;
  let seq = 0;
  let transitions: InspectedTransition[] = [];
  let events: PositionEvent[] = [];

  const inspect = (ev: InspectionEvent): void => {
    // The initial state (and its eventless transitions) is computed inside createActor, before
    // attach() can run: the first actor announced is the position actor itself.
    root ??= ev.actorRef;
    if (ev.actorRef !== root) return;
    if (ev.type === '@xstate.microstep') {
      // xstate exposes the definitions only on this internal field.
      const taken = (ev as unknown as { _transitions: readonly TransitionLike[] })._transitions;
      transitions.push(...taken.map(describeTransition));
      return;
    }
    if (ev.type !== '@xstate.snapshot') return;
    const input = inputOf(ev.event);
    // Stopping an open position's actor is not a step of the position: nothing to record.
    if (input === undefined || (ev.snapshot as { status?: string }).status === 'stopped') {
      transitions = [];
      events = [];
      return;
    }
    const snapshot = ev.snapshot as unknown as {
      value: unknown;
      status: InspectionRecord['status'];
      context: PositionContext;
    };
    const rootId = (ev.actorRef as { logic?: { id?: string } }).logic?.id ?? 'position';
    sink({
      seq,
      input,
      value: snapshot.value,
      active: activeStateIds(rootId, snapshot.value),
      status: snapshot.status,
      transitions,
      events,
      context: inspectContext(snapshot.context),
    });
    seq++;
    transitions = [];
    events = [];
  };

  const attach = (actor: AnyActorRef): (() => void) => {
    root = actor;
    const subscription = actor.on('*', (event: PositionEvent) => {
      events.push(event);
    });
    return () => subscription.unsubscribe();
  };

  return { inspect, attach };
}
