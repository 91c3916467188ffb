import { and, not, setup, stateIn } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';
import { positionActions } from './positionActions.ts';
import {
  createPositionContext,
  type PositionContext,
  type PositionInput,
} from './positionContext.ts';
import type { PositionMachineEvent } from './positionEvents.ts';
import { positionGuards } from './positionGuards.ts';
import { withInPlaceSteps } from './positionInPlaceSteps.ts';
import { withKnownOpenings } from './positionOpening.ts';
import { withPlainPersistence } from './positionPersisting.ts';
import { withKnownRestores } from './positionRestoring.ts';

// The step's trailing distance depends on the momentum pace, which only the state knows.
const ACCELERATED = stateIn('#position.open.distance.trailing.accelerated');

/**
 * How PRICE and CLOCK start a step. The step (src/domain/stepPosition.ts) is worked out once,
 * by the guard: when every region stays where it is — most ticks — it is one transition with
 * one assign; only a step that moves a region or exits runs the phases that announce it in
 * SPEC order. Each pair is written once per momentum pace.
 */
function stepTransitions() {
  return [
    {
      guard: and([not(ACCELERATED), { type: 'quietStep', params: { accelerated: false } }]),
      actions: { type: 'writeStep', params: { accelerated: false } },
    },
    {
      guard: and([ACCELERATED, { type: 'quietStep', params: { accelerated: true } }]),
      actions: { type: 'writeStep', params: { accelerated: true } },
    },
    {
      guard: and([not(ACCELERATED), { type: 'staysInState', params: { accelerated: false } }]),
      actions: { type: 'takeStepInPlace', params: { accelerated: false } },
    },
    {
      guard: and([ACCELERATED, { type: 'staysInState', params: { accelerated: true } }]),
      actions: { type: 'takeStepInPlace', params: { accelerated: true } },
    },
    {
      guard: and([not(ACCELERATED), { type: 'changesState', params: { accelerated: false } }]),
      actions: { type: 'beginStep', params: { accelerated: false } },
    },
    {
      guard: and([ACCELERATED, { type: 'changesState', params: { accelerated: true } }]),
      actions: { type: 'beginStep', params: { accelerated: true } },
    },
  ] as const;
}

/**
 * Returns the position statechart of SPEC.md as XState runs it, every step through XState's
 * full macrostep: `positionMachine` must stay observably identical to it.
 */
export function createPositionChart() {
  return setup({
    types: {
      context: {} as PositionContext,
      events: {} as PositionMachineEvent,
      input: {} as PositionInput,
      emitted: {} as PositionEvent,
    },
    guards: positionGuards,
    actions: positionActions,
  }).createMachine({
    id: 'position',
    context: ({ input }) => createPositionContext(input),
    initial: 'open',
    states: {
      open: {
        type: 'parallel',
        entry: 'emitOpened',
        on: {
          PRICE: stepTransitions(),
          PRICES: [
            {
              guard: not(ACCELERATED),
              actions: { type: 'takeTicks', params: { accelerated: false } },
            },
            { guard: ACCELERATED, actions: { type: 'takeTicks', params: { accelerated: true } } },
          ],
          // A CLOCK step never depends on the pace: it feeds no momentum, and the trailing
          // candidate it can renew is a fresh activation's, at normal pace.
          CLOCK: [
            {
              guard: { type: 'staysInState', params: { accelerated: false } },
              actions: { type: 'takeStepInPlace', params: { accelerated: false } },
            },
            {
              guard: { type: 'changesState', params: { accelerated: false } },
              actions: { type: 'beginStep', params: { accelerated: false } },
            },
          ],
          // Settling is the step's own last phase, not any region's: it is announced once all
          // the regions have announced theirs.
          'tick.settle': { actions: 'settleStop' },
          'tick.exit': { target: '#position.exited', actions: 'exitAtStop' },
        },
        states: {
          distance: {
            initial: 'off',
            states: {
              off: { always: { guard: 'hasTrailing', target: 'armed' } },
              armed: {
                on: {
                  'tick.activate': {
                    guard: 'activationHolds',
                    target: 'trailing',
                    actions: 'activate',
                  },
                },
              },
              trailing: {
                initial: 'normal',
                states: {
                  normal: {
                    on: {
                      'tick.trail': {
                        guard: 'momentumAccelerates',
                        target: 'accelerated',
                        actions: 'announceMomentum',
                      },
                    },
                  },
                  accelerated: {
                    on: {
                      'tick.trail': {
                        guard: 'momentumReleases',
                        target: 'normal',
                        actions: 'announceMomentum',
                      },
                    },
                  },
                },
              },
            },
          },
          breakeven: {
            initial: 'off',
            states: {
              off: { always: { guard: 'hasBreakeven', target: 'waiting' } },
              waiting: {
                on: {
                  'tick.activate': {
                    guard: 'breakevenTriggers',
                    target: 'reached',
                    actions: 'reachBreakeven',
                  },
                },
              },
              reached: {},
            },
          },
          elastic: {
            initial: 'off',
            states: {
              off: { always: { guard: 'hasElastic', target: 'waiting' } },
              waiting: {
                on: {
                  'tick.trail': [
                    {
                      guard: and(['elasticEngages', 'peakLockTriggers']),
                      target: 'peakLocked',
                      actions: ['engageElastic', 'announceBigJump', 'lockPeak'],
                    },
                    {
                      guard: 'elasticEngages',
                      target: 'engaged',
                      actions: ['engageElastic', 'announceBigJump'],
                    },
                  ],
                },
              },
              engaged: {
                on: {
                  'tick.trail': [
                    {
                      guard: 'peakLockTriggers',
                      target: 'peakLocked',
                      actions: ['announceBigJump', 'lockPeak'],
                    },
                    { guard: 'bigJumpLocks', actions: 'announceBigJump' },
                  ],
                },
              },
              peakLocked: {
                on: { 'tick.trail': { guard: 'bigJumpLocks', actions: 'announceBigJump' } },
              },
            },
          },
          // Keeping the stop on the exchange is the order-sync machine's work; this region is
          // where the position will show how well protected it is.
          protection: {
            initial: 'off',
            states: { off: {} },
          },
        },
      },
      exited: { type: 'final' },
    },
  });
}

/**
 * The position statechart of SPEC.md. Regions `distance`, `breakeven`, `elastic` and
 * `protection` run in parallel inside `open`; `exited` is final. Time comes only from the
 * `ts` of PRICE and CLOCK events: the machine has no timers. Emitted events are the SPEC's
 * event lines, in SPEC order. A step that leaves every region where it is skips XState's
 * search for transitions (see withInPlaceSteps), and a position opens from the snapshot of
 * the first one of its shape (see withKnownOpenings) and restores from the first one restored
 * with its state value (see withKnownRestores), and persists without XState's generic copy
 * (see withPlainPersistence); all are otherwise XState's own steps.
 */
export const positionMachine = withPlainPersistence(
  withKnownRestores(withKnownOpenings(withInPlaceSteps(createPositionChart()))),
);

export type PositionMachine = typeof positionMachine;
