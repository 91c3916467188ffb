import { enqueueActions, setup, type ActorRefFrom } from 'xstate';
import { initialSyncContext, syncPhase, syncStep } from './orderSyncStep.ts';
import type { OrderSyncContext, OrderSyncInput, SyncEvent, SyncRecord } from './orderSyncTypes.ts';

const PHASES = [
  'none',
  'placing',
  'resting',
  'replacing',
  'cancelling',
  'unknown',
  'closing',
] as const;
type Phase = (typeof PHASES)[number] | 'closed';

/** Routes from any state to the one the context is in, after each step. */
function routes(self: Phase) {
  return (['closed', ...PHASES] as const)
    .filter((p) => p !== self)
    .map((p) => ({
      guard: { type: 'inPhase' as const, params: { phase: p } },
      target: `#orderSync.${p}`,
    }));
}

const live = (self: Phase) => ({
  on: { '*': { actions: 'step' as const } },
  always: routes(self),
});

/**
 * The order-sync statechart of notes/live-engine.md: it turns the position machine's desired
 * stop into commands for the venue (`placeStop`, `cancelStop`, `lookUpStop`, `closeAtMarket`,
 * `lookUpClose`, emitted with every fact it learns as journal records) and takes the venue's
 * answers back as events. One command is in flight at a time; a new stop is acknowledged before
 * the old one is cancelled; an unclear outcome is looked up before anything else is sent. The
 * state names the in-flight command; the decisions are `syncStep`'s. No timers: retries and
 * intervals fire on the `ts` of CLOCK events.
 */
export const orderSyncMachine = setup({
  types: {
    context: {} as OrderSyncContext,
    events: {} as SyncEvent,
    input: {} as OrderSyncInput,
    emitted: {} as SyncRecord,
  },
  guards: {
    inPhase: ({ context }, params: { phase: Phase }) => syncPhase(context) === params.phase,
  },
  actions: {
    step: enqueueActions(({ context, event, enqueue }) => {
      const { context: next, records } = syncStep(context, event);
      enqueue.assign(() => next);
      for (const record of records) enqueue.emit(record);
    }),
  },
}).createMachine({
  id: 'orderSync',
  context: ({ input }) => initialSyncContext(input),
  initial: 'none',
  states: {
    none: live('none'),
    placing: live('placing'),
    resting: live('resting'),
    replacing: live('replacing'),
    cancelling: live('cancelling'),
    unknown: live('unknown'),
    closing: live('closing'),
    closed: { type: 'final' },
  },
});

/** The order-sync machine's type. */
export type OrderSyncMachine = typeof orderSyncMachine;
/** A running order-sync actor. */
export type OrderSyncActor = ActorRefFrom<OrderSyncMachine>;
