import { assign, enqueueActions, type ParameterizedObject } from 'xstate';
import { stepTicks } from '../domain/stepTicks.ts';
import type { PositionEvent } from '../domain/types.ts';
import type { PositionContext } from './positionContext.ts';
import {
  currentVerdict,
  inPlaceChanges,
  inPlaceEvents,
  openedEvent,
  phasesOf,
  stepOf,
  verdictOf,
} from './positionStep.ts';
import type { PositionMachineEvent } from './positionEvents.ts';

// An action enqueues its context changes, emitted SPEC events and raised phases in one go:
// every `assign` re-derives the snapshot, the largest cost of a step, so each action assigns
// at most once.
const action = <P extends ParameterizedObject['params'] | undefined = undefined>(
  collect: Parameters<
    typeof enqueueActions<
      PositionContext,
      PositionMachineEvent,
      P,
      PositionMachineEvent,
      never,
      never,
      never,
      never,
      PositionEvent
    >
  >[0],
) => enqueueActions(collect);

/** The momentum pace the statechart is in, as the transition that chose the action knows it. */
interface Pace {
  readonly accelerated: boolean;
}

/** The position statechart's actions, in the order a step runs them. */
export const positionActions = {
  emitOpened: action(({ context, enqueue }) => {
    enqueue.emit(openedEvent(context));
  }),

  // A quiet step: only its facts are written (a plain assign: no events to enqueue).
  writeStep: assign<PositionContext, PositionMachineEvent, Pace, PositionMachineEvent, never>(
    ({ context, event }, { accelerated }) =>
      inPlaceChanges(context, stepOf(context, event, accelerated)) ?? {},
  ),

  // A step that leaves every region where it is — a quiet tick (bookkeeping only), a new
  // extreme, a moved lock or stop, a rejected tick — is written at once: one assign.
  takeStepInPlace: action<Pace>(({ context, event, enqueue }, { accelerated }) => {
    const step = stepOf(context, event, accelerated);
    const changes = inPlaceChanges(context, step);
    if (changes !== undefined) enqueue.assign(changes);
    for (const line of inPlaceEvents(step)) enqueue.emit(line);
  }),

  // A step that moves a region (or exits) writes its facts now and leaves its verdict for the
  // phases it raises, which announce it region by region in SPEC order.
  beginStep: action<Pace>(({ context, event, enqueue }, { accelerated }) => {
    const step = stepOf(context, event, accelerated);
    const verdict = verdictOf(step);
    enqueue.assign({ ...step.changes, step: verdict });
    for (const type of phasesOf(verdict, step.kind === 'exits')) enqueue.raise({ type });
  }),

  // A delivery of ticks: the run that moves no region is written in one assign; the tick
  // after it (if any) begins its step in the same assign and runs its phases, and the rest of
  // the delivery follows them, unless the position exited.
  takeTicks: action<Pace>(({ context, event, enqueue }, { accelerated }) => {
    if (event.type !== 'PRICES') return;
    const from = event.from ?? 0;
    const run = stepTicks(context, event.ticks, from, accelerated);
    const step = run.changing;
    for (const line of run.events) enqueue.emit(line);
    if (step === undefined) {
      if (Object.keys(run.changes).length > 0)
        enqueue.assign(context.step === null ? run.changes : { ...run.changes, step: null });
    } else {
      const at = from + run.taken;
      const verdict = verdictOf(step, at);
      enqueue.assign({ ...run.changes, ...step.changes, step: verdict });
      for (const type of phasesOf(verdict, step.kind === 'exits')) enqueue.raise({ type });
      if (!verdict.exits && at + 1 < event.ticks.length)
        enqueue.raise({ type: 'PRICES', ticks: event.ticks, from: at + 1 });
    }
  }),

  activate: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    if (step.activation === null) return;
    enqueue.emit({ type: 'activated', ts: step.ts, price: step.price, reason: step.activation });
  }),

  reachBreakeven: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    enqueue.emit({ type: 'breakevenReached', ts: step.ts, price: step.price });
  }),

  announceMomentum: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    if (step.momentum === null) return;
    enqueue.emit({ type: step.momentum, ts: step.ts, price: step.price });
  }),

  engageElastic: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    enqueue.emit({ type: 'elasticEngaged', ts: step.ts, price: step.price });
  }),

  announceBigJump: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    if (step.bigJumpLock !== null)
      enqueue.emit({ type: 'bigJumpLocked', ts: step.ts, lock: step.bigJumpLock });
  }),

  lockPeak: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    enqueue.emit({ type: 'peakLocked', ts: step.ts, price: step.price });
  }),

  // SPEC steps 7 and 8, announced once every region has: the ratchet's move, then the exit.
  settleStop: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    if (step.moved !== null) {
      enqueue.emit({
        type: 'stopMoved',
        ts: step.ts,
        price: step.price,
        stop: step.moved.stop,
        source: step.moved.source,
      });
    }
    if (step.exits) enqueue.raise({ type: 'tick.exit' });
  }),

  // The position exits at the step's price on the stop as it stands, whichever step found it
  // crossed (SPEC steps 1 and 8).
  exitAtStop: action(({ context, enqueue }) => {
    const step = currentVerdict(context);
    const exit = { ts: step.ts, price: step.price, stop: context.stop, reason: context.stopSource };
    enqueue.assign({ exit });
    enqueue.emit({ type: 'exited', ...exit });
  }),
};
