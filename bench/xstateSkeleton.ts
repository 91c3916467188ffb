import { assign, createActor, raise, setup } from 'xstate';

/**
 * A machine with the position statechart's shape and none of its work: a parallel state of four
 * regions (20 states), `PRICE` assigning once and raising one phase event that two regions
 * handle with one assign each — the two microsteps a steady-state tick costs. What it sustains
 * is the ceiling XState puts on any interpretation of this statechart.
 */
export const skeletonMachine = setup({
  types: {
    context: {} as { ticks: number; phases: number },
    events: {} as { type: 'PRICE'; ts: number; price: string } | { type: 'tick.trail' },
  },
}).createMachine({
  context: { ticks: 0, phases: 0 },
  initial: 'open',
  states: {
    open: {
      type: 'parallel',
      on: {
        PRICE: {
          actions: [
            assign({ ticks: ({ context }) => context.ticks + 1 }),
            raise({ type: 'tick.trail' }),
          ],
        },
      },
      states: {
        distance: {
          initial: 'trailing',
          states: {
            off: {},
            armed: {},
            trailing: {
              initial: 'normal',
              states: {
                normal: {
                  on: {
                    'tick.trail': {
                      actions: assign({ phases: ({ context }) => context.phases + 1 }),
                    },
                  },
                },
                accelerated: {},
              },
            },
          },
        },
        breakeven: {
          initial: 'off',
          states: {
            off: { always: { guard: () => false, target: 'waiting' } },
            waiting: {},
            reached: {},
          },
        },
        elastic: {
          initial: 'off',
          states: {
            off: { always: { guard: () => false, target: 'waiting' } },
            waiting: {},
            engaged: {},
            peakLocked: {},
          },
        },
        protection: {
          initial: 'off',
          states: {
            off: {
              on: {
                'tick.trail': { actions: assign({ phases: ({ context }) => context.phases + 1 }) },
              },
            },
          },
        },
      },
    },
    exited: { type: 'final' },
  },
});

/** Returns the skeleton's rate, in PRICE events a second, over `ticks` sends. */
export function skeletonTicksPerSecond(ticks: number, now: () => number): number {
  const actor = createActor(skeletonMachine).start();
  for (let i = 0; i < Math.min(ticks, 5_000); i++) actor.send({ type: 'PRICE', ts: i, price: '1' });
  const started = now();
  for (let i = 0; i < ticks; i++) actor.send({ type: 'PRICE', ts: i, price: '1' });
  const seconds = (now() - started) / 1000;
  actor.stop();
  return ticks / seconds;
}
