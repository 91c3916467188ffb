import type { PositionContext } from './positionContext.ts';
import type { PositionMachineEvent } from './positionEvents.ts';
import { currentVerdict, isQuiet, staysInState, stepOf } from './positionStep.ts';

interface GuardArgs {
  readonly context: PositionContext;
  readonly event: PositionMachineEvent;
}

/** The momentum pace the statechart is in (the `stateIn` guard beside these says which). */
interface Pace {
  readonly accelerated: boolean;
}

/**
 * The position statechart's guards. `staysInState` and `changesState` look at the PRICE or
 * CLOCK event and work out the whole step (src/domain/stepPosition.ts) once; the phase guards
 * read the verdict that step left in the context.
 */
export const positionGuards = {
  hasTrailing: ({ context }: GuardArgs) => context.policy.trailing !== undefined,
  hasBreakeven: ({ context }: GuardArgs) => context.policy.breakeven !== undefined,
  hasElastic: ({ context }: GuardArgs) => context.policy.elastic !== undefined,
  // A quiet step: facts change (the last tick, the window), nothing is announced.
  quietStep: ({ context, event }: GuardArgs, { accelerated }: Pace) =>
    isQuiet(stepOf(context, event, accelerated)),
  // A step whose regions all stay where they are: one transition, one assign.
  staysInState: ({ context, event }: GuardArgs, { accelerated }: Pace) =>
    staysInState(stepOf(context, event, accelerated)),
  // A step that moves a region or exits: its phases run in SPEC order.
  changesState: ({ context, event }: GuardArgs, { accelerated }: Pace) => {
    const step = stepOf(context, event, accelerated);
    return step.kind === 'exits' || (step.kind === 'stepped' && step.changesState);
  },
  activationHolds: ({ context }: GuardArgs) => currentVerdict(context).activation !== null,
  breakevenTriggers: ({ context }: GuardArgs) => currentVerdict(context).breakeven,
  momentumAccelerates: ({ context }: GuardArgs) =>
    currentVerdict(context).momentum === 'accelerated',
  momentumReleases: ({ context }: GuardArgs) => currentVerdict(context).momentum === 'decelerated',
  elasticEngages: ({ context }: GuardArgs) => currentVerdict(context).engaged,
  peakLockTriggers: ({ context }: GuardArgs) => currentVerdict(context).peakLocked,
  bigJumpLocks: ({ context }: GuardArgs) => currentVerdict(context).bigJumpLock !== null,
};
