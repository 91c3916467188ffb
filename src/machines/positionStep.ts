import {
  announceInPlace,
  outcomePrice,
  stepPosition,
  type StepOutcome,
} from '../domain/stepPosition.ts';
import type { PositionEvent } from '../domain/types.ts';
import type { PositionContext, StepVerdict } from './positionContext.ts';
import type { PositionMachineEvent, StepPhaseEvent } from './positionEvents.ts';

// A guard decides from the step's outcome and the action then applies it, with the same
// context and event objects: the outcome is computed once and kept for that one pair.
const last: {
  context: PositionContext | undefined;
  event: PositionMachineEvent | undefined;
  accelerated: boolean;
  outcome: StepOutcome | undefined;
} = { context: undefined, event: undefined, accelerated: false, outcome: undefined };

/**
 * Returns the outcome of the step `event` starts in `context` at momentum pace `accelerated`
 * (an `ignored` outcome for events that start no step). Pure: the same arguments give the same
 * outcome, so caching the latest one is safe.
 */
export function stepOf(
  context: PositionContext,
  event: PositionMachineEvent,
  accelerated: boolean,
): StepOutcome {
  if (last.context === context && last.event === event && last.accelerated === accelerated)
    return last.outcome as StepOutcome;
  if (event.type !== 'PRICE' && event.type !== 'CLOCK')
    throw new Error(`no step for ${event.type}`);
  const outcome = stepPosition(context, event, accelerated);
  last.context = context;
  last.event = event;
  last.accelerated = accelerated;
  last.outcome = outcome;
  return outcome;
}

/** Returns whether the step is quiet: its facts change (the last tick, the window), nothing is announced. */
export function isQuiet(step: StepOutcome): boolean {
  return (
    step.kind === 'stepped' &&
    !step.changesState &&
    step.moved === undefined &&
    step.bigJumpLock === undefined
  );
}

/**
 * Returns what a step that stays in state writes into `context` (its facts, and the end of the
 * previous step's verdict), or undefined for a rejected tick, which writes nothing.
 */
export function inPlaceChanges(
  context: PositionContext,
  step: StepOutcome,
): Partial<PositionContext> | undefined {
  if (step.kind === 'rejected') return undefined;
  return context.step === null ? step.changes : { ...step.changes, step: null };
}

/** Returns the event a position announces when it opens, its initial stop placed. */
export function openedEvent(context: PositionContext): PositionEvent {
  return { type: 'opened', ts: context.position.openedAt, stop: context.stop };
}

/** Returns the SPEC events a step that stays in state announces, in SPEC order. */
export function inPlaceEvents(step: StepOutcome): PositionEvent[] {
  if (step.kind === 'rejected')
    return [{ type: 'tickRejected', ts: step.ts, why: step.why ?? 'not a number' }];
  const events: PositionEvent[] = [];
  announceInPlace(step, events);
  return events;
}

/** Returns whether the step only moves facts: every region stays in its state (a quiet tick, a new extreme, a rejected tick). */
export function staysInState(step: StepOutcome): boolean {
  return step.kind === 'rejected' || (step.kind === 'stepped' && !step.changesState);
}

/** Returns the verdict the phases of a state-changing step announce (`tick`: its index in a PRICES delivery). */
export function verdictOf(step: StepOutcome, tick = 0): StepVerdict {
  return {
    tick,
    ts: step.ts,
    price: outcomePrice(step),
    activation: step.activation ?? null,
    breakeven: step.breakeven,
    momentum: step.momentum ?? null,
    engaged: step.engaged,
    peakLocked: step.peakLocked,
    bigJumpLock: step.bigJumpLock ?? null,
    moved:
      step.moved === undefined ? null : { stop: step.changes.stop as string, source: step.moved },
    exits: step.kind === 'exits' || step.exits,
  };
}

/** Returns the verdict of the step in progress; throws when called outside one. */
export function currentVerdict(context: PositionContext): StepVerdict {
  if (context.step === null) throw new Error('position machine: no step in progress');
  return context.step;
}

/** Returns the phases that announce `verdict`, in the order they run. */
export function phasesOf(verdict: StepVerdict, standingStop: boolean): StepPhaseEvent['type'][] {
  if (standingStop) return ['tick.exit'];
  const phases: StepPhaseEvent['type'][] = [];
  if (verdict.activation !== null || verdict.breakeven) phases.push('tick.activate');
  if (
    verdict.momentum !== null ||
    verdict.engaged ||
    verdict.peakLocked ||
    verdict.bigJumpLock !== null
  )
    phases.push('tick.trail');
  if (verdict.moved !== null || verdict.exits) phases.push('tick.settle');
  return phases;
}
