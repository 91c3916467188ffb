import { and, setup } from 'xstate';
import type { PositionEvent } from '../domain/types.ts';
import { positionActions } from './positionActions.ts';
import {
  createPositionContext,
  type PositionContext,
  type PositionInput,
} from './positionContext.ts';
import type { PositionMachineEvent } from './positionEvents.ts';
import { positionGuards } from './positionGuards.ts';

/**
 * The position statechart of SPEC.md. Regions `distance`, `breakeven`, `elastic` and
 * `protection` run in parallel inside `open`; `exited` is final. Time comes only from the
 * `ts` of PRICE and CLOCK events: the machine has no timers. Emitted events are the SPEC's
 * event lines, in SPEC order.
 */
export const positionMachine = setup({
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
        // A phase no active state reacts to is not raised: each raised event costs a full
        // microstep, and most of a position's life needs only `tick.trail` and `tick.settle`.
        PRICE: [
          {
            guard: 'awaitsActivation',
            actions: { type: 'takeTick', params: { run: 'activationAndRules' } },
          },
          { guard: 'runsRules', actions: { type: 'takeTick', params: { run: 'rules' } } },
          { actions: { type: 'takeTick', params: { run: 'none' } } },
        ],
        CLOCK: { guard: and(['clockAdvances', 'awaitsActivation']), actions: 'takeClock' },
        // Settling is the step's own last phase, not any region's: it runs once all the
        // regions have made their offers for the step.
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
                    'tick.trail': [
                      {
                        guard: 'momentumAccelerates',
                        target: 'accelerated',
                        actions: [
                          { type: 'announceMomentum', params: { type: 'accelerated' } },
                          { type: 'trail', params: { accelerated: true } },
                        ],
                      },
                      { actions: { type: 'trail', params: { accelerated: false } } },
                    ],
                  },
                },
                accelerated: {
                  on: {
                    'tick.trail': [
                      {
                        guard: 'momentumReleases',
                        target: 'normal',
                        actions: [
                          { type: 'announceMomentum', params: { type: 'decelerated' } },
                          { type: 'trail', params: { accelerated: false } },
                        ],
                      },
                      { actions: { type: 'trail', params: { accelerated: true } } },
                    ],
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
                    guard: and(['isPriceTick', 'elasticEngages', 'peakLockTriggers']),
                    target: 'peakLocked',
                    actions: [
                      'engageElastic',
                      { type: 'lockProfit', params: { peakLock: 'reach' } },
                    ],
                  },
                  {
                    guard: and(['isPriceTick', 'elasticEngages']),
                    target: 'engaged',
                    actions: [
                      'engageElastic',
                      { type: 'lockProfit', params: { peakLock: 'none' } },
                    ],
                  },
                ],
              },
            },
            engaged: {
              on: {
                'tick.trail': [
                  {
                    guard: and(['isPriceTick', 'peakLockTriggers']),
                    target: 'peakLocked',
                    actions: { type: 'lockProfit', params: { peakLock: 'reach' } },
                  },
                  {
                    guard: 'isPriceTick',
                    actions: { type: 'lockProfit', params: { peakLock: 'none' } },
                  },
                ],
              },
            },
            peakLocked: {
              on: {
                'tick.trail': {
                  guard: 'isPriceTick',
                  actions: { type: 'lockProfit', params: { peakLock: 'hold' } },
                },
              },
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

export type PositionMachine = typeof positionMachine;
