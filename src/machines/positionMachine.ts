import { and, enqueueActions, not, or, setup, stateIn } from 'xstate';
import { activationReason } from '../domain/activation.ts';
import { breakevenStop, breakevenTriggered } from '../domain/breakeven.ts';
import {
  bigJumpLock,
  elasticEngages,
  elasticStop,
  lockValue,
  peakLockFloor,
  peakLockTriggered,
  pullbackLock,
} from '../domain/elastic.ts';
import { crossesStop } from '../domain/crossing.ts';
import { Dec, favourable, dec } from '../domain/money.ts';
import { momentumAccelerates, momentumReference, momentumReleases } from '../domain/momentum.ts';
import { ratchet, type Candidate } from '../domain/ratchet.ts';
import { activeDistance, trailingStop } from '../domain/trailing.ts';
import { checkTick } from '../domain/tickCheck.ts';
import { pushWindow } from '../domain/window.ts';
import type { Millis, PositionEvent, RejectReason } from '../domain/types.ts';
import {
  createPositionContext,
  elasticFrame,
  stepPrice,
  type Offers,
  type PositionContext,
  type PositionInput,
} from './positionContext.ts';

/** A price observation for the position: `price` is the text as received. */
export interface PriceEvent {
  readonly type: 'PRICE';
  readonly ts: Millis;
  readonly price: string;
}

/** The current time, so time-based rules fire without price ticks. */
export interface ClockEvent {
  readonly type: 'CLOCK';
  readonly ts: Millis;
}

/**
 * The phases of one step, raised by the machine itself in SPEC order: `tick.activate`
 * (activation, breakeven), then `tick.trail` (extreme, momentum, SETE, and — in the
 * `protection` region, last in document order — the ratchet and the exit check); `tick.exit`
 * when the settled stop is crossed. Splitting the step lets each region react in its own states
 * while the SPEC's order across regions holds.
 */
export type StepPhaseEvent =
  | { readonly type: 'tick.activate' }
  | { readonly type: 'tick.trail' }
  | { readonly type: 'tick.exit' };

export type PositionMachineEvent = PriceEvent | ClockEvent | StepPhaseEvent;

const entryOf = (c: PositionContext) => dec(c.position.entryPrice);
const tickOf = (c: PositionContext) => dec(c.market.tickSize);

function offersToCandidates(offers: Offers): Candidate[] {
  const out: Candidate[] = [];
  if (offers.trailing !== undefined) out.push({ source: 'trailing', stop: dec(offers.trailing) });
  if (offers.elastic !== undefined) out.push({ source: 'elastic', stop: dec(offers.elastic) });
  if (offers.breakeven !== undefined)
    out.push({ source: 'breakeven', stop: dec(offers.breakeven) });
  return out;
}

/** Returns the stop after this step's ratchet (the standing stop when nothing improves it). */
function settledStop(c: PositionContext): { stop: Dec; moved: Candidate | undefined } {
  const stop = dec(c.stop);
  const moved = ratchet(stop, offersToCandidates(c.offers), c.position.side);
  return { stop: moved?.stop ?? stop, moved };
}

function momentumRef(c: PositionContext): Dec | undefined {
  const momentum = c.policy.trailing?.momentum;
  if (momentum === undefined || c.step === null) return undefined;
  return momentumReference(momentum, c.window, c.step.ts);
}

function rejectedAs(c: PositionContext, event: PositionMachineEvent, why: RejectReason): boolean {
  return event.type === 'PRICE' && checkTick(event, c.lastTs ?? undefined).why === why;
}

function currentLock(c: PositionContext): Dec | undefined {
  return c.lock === null ? undefined : dec(c.lock);
}

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
  guards: {
    hasTrailing: ({ context }) => context.policy.trailing !== undefined,
    hasBreakeven: ({ context }) => context.policy.breakeven !== undefined,
    hasElastic: ({ context }) => context.policy.elastic !== undefined,
    priceNotANumber: ({ context, event }) => rejectedAs(context, event, 'not a number'),
    priceNotPositive: ({ context, event }) => rejectedAs(context, event, 'not positive'),
    tickOutOfOrder: ({ context, event }) => rejectedAs(context, event, 'out of order'),
    tickCrossesStop: ({ context, event }) =>
      event.type === 'PRICE' && crossesStop(context.position.side, dec(event.price), context.stop),
    clockAdvances: ({ context, event }) =>
      event.type === 'CLOCK' &&
      context.lastPrice !== null &&
      context.lastTs !== null &&
      event.ts > context.lastTs &&
      (context.clockTs === null || event.ts > context.clockTs),
    isPriceTick: ({ context }) => context.step !== null && !context.step.clock,
    activationHolds: ({ context }) => {
      const { ts, price } = stepPrice(context);
      return (
        activationReason(context.policy.activation, {
          ts,
          price,
          openedAt: context.position.openedAt,
          entry: entryOf(context),
          side: context.position.side,
        }) !== undefined
      );
    },
    breakevenTriggers: ({ context }) =>
      context.policy.breakeven !== undefined &&
      breakevenTriggered(
        context.policy.breakeven,
        stepPrice(context).price,
        entryOf(context),
        context.position.side,
      ),
    momentumAccelerates: ({ context }) => {
      const momentum = context.policy.trailing?.momentum;
      const ref = momentumRef(context);
      if (momentum === undefined || ref === undefined || context.step?.clock !== false)
        return false;
      return momentumAccelerates(momentum, stepPrice(context).price, ref, context.position.side);
    },
    momentumReleases: ({ context }) => {
      const momentum = context.policy.trailing?.momentum;
      const ref = momentumRef(context);
      if (momentum === undefined || ref === undefined || context.step?.clock !== false)
        return false;
      return momentumReleases(momentum, stepPrice(context).price, ref, context.position.side);
    },
    elasticEngages: ({ context }) =>
      context.policy.elastic !== undefined &&
      context.peakPrice !== null &&
      elasticEngages(context.policy.elastic, elasticFrame(context), dec(context.peakPrice)),
    peakLockTriggers: ({ context }) =>
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
  },
  actions: {
    emitOpened: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'opened', ts: context.position.openedAt, stop: context.stop });
    }),
    rejectTick: enqueueActions(({ event, enqueue }, params: { why: RejectReason }) => {
      if (event.type !== 'PRICE') return;
      enqueue.emit({ type: 'tickRejected', ts: event.ts, why: params.why });
    }),
    exitAtStandingStop: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PRICE') return;
      const price = dec(event.price).toFixed();
      const exit = { ts: event.ts, price, stop: context.stop, reason: context.stopSource };
      enqueue.assign({ exit, lastTs: event.ts, lastPrice: price });
      enqueue.emit({ type: 'exited', ...exit });
    }),
    acceptTick: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PRICE') return;
      const price = dec(event.price);
      const text = price.toFixed();
      const peak =
        context.peakPrice === null
          ? price
          : favourable(dec(context.peakPrice), price, context.position.side);
      enqueue.assign({
        lastTs: event.ts,
        lastPrice: text,
        peakPrice: peak.toFixed(),
        window: pushWindow(context.window, [event.ts, text], context.windowMs),
        step: { ts: event.ts, price: text, clock: false },
      });
    }),
    acceptClock: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'CLOCK' || context.lastPrice === null) return;
      enqueue.assign({
        clockTs: event.ts,
        step: { ts: event.ts, price: context.lastPrice, clock: true },
      });
    }),
    raiseAllPhases: enqueueActions(({ enqueue }) => {
      enqueue.raise({ type: 'tick.activate' });
      enqueue.raise({ type: 'tick.trail' });
    }),
    raiseRulePhases: enqueueActions(({ enqueue }) => {
      enqueue.raise({ type: 'tick.trail' });
    }),
    activate: enqueueActions(({ context, enqueue }) => {
      const { ts, price } = stepPrice(context);
      const reason = activationReason(context.policy.activation, {
        ts,
        price,
        openedAt: context.position.openedAt,
        entry: entryOf(context),
        side: context.position.side,
      });
      if (reason === undefined) return;
      enqueue.assign({ extreme: price.toFixed() });
      enqueue.emit({ type: 'activated', ts, price: price.toFixed(), reason });
    }),
    // Follows the extreme and offers the trailing candidate in one assignment: every assign
    // re-derives the snapshot, the largest cost of a step.
    trail: enqueueActions(({ context, enqueue }, params: { accelerated: boolean }) => {
      const trailing = context.policy.trailing;
      if (trailing === undefined || context.peakPrice === null) return;
      const side = context.position.side;
      const { price } = stepPrice(context);
      const extreme =
        context.extreme === null ? price : favourable(dec(context.extreme), price, side);
      const distance = activeDistance(
        trailing,
        dec(context.peakPrice),
        entryOf(context),
        side,
        params.accelerated,
      );
      const stop = trailingStop(distance, extreme, side, tickOf(context));
      enqueue.assign({
        extreme: extreme.toFixed(),
        offers: { ...context.offers, trailing: stop.toFixed() },
      });
    }),
    announceMomentum: enqueueActions(
      ({ context, enqueue }, params: { type: 'accelerated' | 'decelerated' }) => {
        const { ts, price } = stepPrice(context);
        enqueue.emit({ type: params.type, ts, price: price.toFixed() });
      },
    ),
    // The breakeven candidate never changes once reached: it is offered once and stands.
    reachBreakeven: enqueueActions(({ context, enqueue }) => {
      const breakeven = context.policy.breakeven;
      if (breakeven === undefined) return;
      const { ts, price } = stepPrice(context);
      const stop = breakevenStop(
        breakeven,
        entryOf(context),
        context.position.side,
        tickOf(context),
      );
      enqueue.assign({ offers: { ...context.offers, breakeven: stop.toFixed() } });
      enqueue.emit({ type: 'breakevenReached', ts, price: price.toFixed() });
    }),
    engageElastic: enqueueActions(({ context, enqueue }) => {
      const { ts, price } = stepPrice(context);
      enqueue.emit({ type: 'elasticEngaged', ts, price: price.toFixed() });
    }),
    // SETE on one tick, in SPEC order — pullback lock, big jump, peak lock — then the elastic
    // candidate, with a single assignment. `peakLock` says whether this tick enters
    // PEAK_LOCKED (announce it), holds it, or is not there.
    lockProfit: enqueueActions(
      ({ context, enqueue }, params: { peakLock: 'reach' | 'hold' | 'none' }) => {
        const elastic = context.policy.elastic;
        if (elastic === undefined || context.peakPrice === null) return;
        const { ts, price } = stepPrice(context);
        const frame = elasticFrame(context);
        let lock = pullbackLock(elastic, frame, dec(context.peakPrice), currentLock(context));
        const jumped =
          elastic.bigJump === undefined
            ? undefined
            : bigJumpLock(elastic.bigJump, frame, context.window, ts, price, lock);
        if (jumped !== undefined) {
          lock = jumped;
          enqueue.emit({ type: 'bigJumpLocked', ts, lock: lockValue(frame, jumped).toFixed() });
        }
        if (params.peakLock !== 'none' && elastic.peakLock !== undefined) {
          if (params.peakLock === 'reach')
            enqueue.emit({ type: 'peakLocked', ts, price: price.toFixed() });
          lock = peakLockFloor(elastic.peakLock, frame, lock);
        }
        enqueue.assign({
          lock: lock.toFixed(),
          offers: { ...context.offers, elastic: elasticStop(frame, lock).toFixed() },
        });
      },
    ),
    // Runs after every other region's reaction to `tick.trail` (document order), so all the
    // stops offered on this step are in: the ratchet, then the exit check of SPEC step 8.
    settleStop: enqueueActions(({ context, enqueue }) => {
      if (context.step === null) return;
      const { stop, moved } = settledStop(context);
      if (moved !== undefined) {
        const text = moved.stop.toFixed();
        enqueue.assign({ stop: text, stopSource: moved.source });
        enqueue.emit({
          type: 'stopMoved',
          ts: context.step.ts,
          price: context.step.price,
          stop: text,
          source: moved.source,
        });
      }
      if (crossesStop(context.position.side, dec(context.step.price), stop)) {
        enqueue.raise({ type: 'tick.exit' });
      }
    }),
    exitAtSettledStop: enqueueActions(({ context, enqueue }) => {
      if (context.step === null) return;
      const exit = {
        ts: context.step.ts,
        price: context.step.price,
        stop: context.stop,
        reason: context.stopSource,
      };
      enqueue.assign({ exit });
      enqueue.emit({ type: 'exited', ...exit });
    }),
  },
}).createMachine({
  id: 'position',
  context: ({ input }) => createPositionContext(input),
  initial: 'open',
  states: {
    open: {
      type: 'parallel',
      entry: 'emitOpened',
      on: {
        PRICE: [
          {
            guard: 'priceNotANumber',
            actions: { type: 'rejectTick', params: { why: 'not a number' } },
          },
          {
            guard: 'priceNotPositive',
            actions: { type: 'rejectTick', params: { why: 'not positive' } },
          },
          {
            guard: 'tickOutOfOrder',
            actions: { type: 'rejectTick', params: { why: 'out of order' } },
          },
          { guard: 'tickCrossesStop', target: '#position.exited', actions: 'exitAtStandingStop' },
          // A phase no active state reacts to is not raised: each raised event costs a full
          // microstep, and most of a position's life needs only `tick.trail`.
          { guard: 'awaitsActivation', actions: ['acceptTick', 'raiseAllPhases'] },
          { guard: 'runsRules', actions: ['acceptTick', 'raiseRulePhases'] },
          { actions: 'acceptTick' },
        ],
        // Only activation depends on time alone; momentum and SETE are defined over ticks.
        CLOCK: {
          guard: and(['clockAdvances', 'awaitsActivation']),
          actions: ['acceptClock', 'raiseAllPhases'],
        },
        'tick.exit': { target: '#position.exited', actions: 'exitAtSettledStop' },
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
        // No exchange order is managed yet (the live engine adds those states), but the
        // region already owns the stop: it settles the step's offers into it.
        protection: {
          initial: 'off',
          states: { off: { on: { 'tick.trail': { actions: 'settleStop' } } } },
        },
      },
    },
    exited: { type: 'final' },
  },
});

export type PositionMachine = typeof positionMachine;
