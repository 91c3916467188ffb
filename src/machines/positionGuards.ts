import { and, not, or, stateIn } from 'xstate';
import { breakevenTriggered } from '../domain/breakeven.ts';
import { elasticEngages, peakLockTriggered } from '../domain/elastic.ts';
import { dec, type Dec } from '../domain/money.ts';
import { momentumAccelerates, momentumReference, momentumReleases } from '../domain/momentum.ts';
import { elasticFrame, type PositionContext } from './positionContext.ts';
import { currentStep } from './positionStep.ts';
import type { PositionMachineEvent } from './positionEvents.ts';

interface GuardArgs {
  readonly context: PositionContext;
  readonly event: PositionMachineEvent;
}

/** Returns the momentum reference of a price step, or undefined when momentum does not apply. */
function momentumRef(context: PositionContext): Dec | undefined {
  const momentum = context.policy.trailing?.momentum;
  if (momentum === undefined || context.step === null || context.step.clock) return undefined;
  return momentumReference(momentum, context.window, context.step.ts);
}

/**
 * The position statechart's guards. The rule guards read the step in progress (the point the
 * accepting action recorded, price parsed and activation worked out once), not the event;
 * only `clockAdvances` looks at the event, to decide whether a CLOCK starts a step at all.
 */
export const positionGuards = {
  hasTrailing: ({ context }: GuardArgs) => context.policy.trailing !== undefined,
  hasBreakeven: ({ context }: GuardArgs) => context.policy.breakeven !== undefined,
  hasElastic: ({ context }: GuardArgs) => context.policy.elastic !== undefined,
  // A time that is not a finite number is no time: like a tick's (SPEC step 0), it is ignored.
  clockAdvances: ({ context, event }: GuardArgs) =>
    event.type === 'CLOCK' &&
    Number.isFinite(event.ts) &&
    context.lastPrice !== null &&
    context.lastTs !== null &&
    event.ts > context.lastTs &&
    (context.clockTs === null || event.ts > context.clockTs),
  isPriceTick: ({ context }: GuardArgs) => context.step !== null && !context.step.clock,
  activationHolds: ({ context }: GuardArgs) =>
    context.step !== null && context.step.activation !== null,
  breakevenTriggers: ({ context }: GuardArgs) =>
    context.policy.breakeven !== undefined &&
    breakevenTriggered(
      context.policy.breakeven,
      currentStep(context).price,
      dec(context.position.entryPrice),
      context.position.side,
    ),
  momentumAccelerates: ({ context }: GuardArgs) => {
    const momentum = context.policy.trailing?.momentum;
    const ref = momentumRef(context);
    if (momentum === undefined || ref === undefined) return false;
    return momentumAccelerates(momentum, currentStep(context).price, ref, context.position.side);
  },
  momentumReleases: ({ context }: GuardArgs) => {
    const momentum = context.policy.trailing?.momentum;
    const ref = momentumRef(context);
    if (momentum === undefined || ref === undefined) return false;
    return momentumReleases(momentum, currentStep(context).price, ref, context.position.side);
  },
  elasticEngages: ({ context }: GuardArgs) =>
    context.policy.elastic !== undefined &&
    context.peakPrice !== null &&
    elasticEngages(context.policy.elastic, elasticFrame(context), dec(context.peakPrice)),
  peakLockTriggers: ({ context }: GuardArgs) =>
    context.policy.elastic?.peakLock !== undefined &&
    context.peakPrice !== null &&
    peakLockTriggered(
      context.policy.elastic.peakLock,
      elasticFrame(context),
      dec(context.peakPrice),
    ),
  awaitsActivation: or([
    stateIn('#position.open.distance.armed'),
    stateIn('#position.open.breakeven.waiting'),
  ]),
  runsRules: not(
    and([
      stateIn('#position.open.distance.off'),
      stateIn('#position.open.breakeven.off'),
      stateIn('#position.open.elastic.off'),
    ]),
  ),
};
