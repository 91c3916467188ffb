import { enqueueActions, type ParameterizedObject } from 'xstate';
import { activationReason } from '../domain/activation.ts';
import { breakevenStop } from '../domain/breakeven.ts';
import { crossesStop } from '../domain/crossing.ts';
import {
  bigJumpLock,
  elasticStop,
  lockValue,
  peakLockFloor,
  pullbackLock,
} from '../domain/elastic.ts';
import { dec, favourable, type Dec } from '../domain/money.ts';
import { ratchet, type Candidate } from '../domain/ratchet.ts';
import { checkTick } from '../domain/tickCheck.ts';
import { activeDistance, trailingStop } from '../domain/trailing.ts';
import type { ActivationReason, Millis, PositionEvent } from '../domain/types.ts';
import { pushWindow } from '../domain/window.ts';
import { elasticFrame, type Offers, type PositionContext } from './positionContext.ts';
import { currentStep, stepPoint } from './positionStep.ts';
import type { PositionMachineEvent, StepPhaseEvent } from './positionEvents.ts';

/** Which phases a step runs after the tick is accepted: what the regions still have to do. */
type StepRun = 'activationAndRules' | 'rules' | 'none';

const PHASES: Record<StepRun, readonly StepPhaseEvent['type'][]> = {
  activationAndRules: ['tick.activate', 'tick.trail', 'tick.settle'],
  rules: ['tick.trail', 'tick.settle'],
  none: [],
};

// An action enqueues its context changes, emitted SPEC events and raised phases in one go:
// every `assign` re-derives the snapshot, the largest cost of a step, so each action assigns once.
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

function activationAt(context: PositionContext, ts: Millis, price: Dec): ActivationReason | null {
  const reason = activationReason(context.policy.activation, {
    ts,
    price,
    openedAt: context.position.openedAt,
    entry: dec(context.position.entryPrice),
    side: context.position.side,
  });
  return reason ?? null;
}

function candidatesOf(offers: Offers): Candidate[] {
  const out: Candidate[] = [];
  if (offers.trailing !== undefined) out.push({ source: 'trailing', stop: dec(offers.trailing) });
  if (offers.elastic !== undefined) out.push({ source: 'elastic', stop: dec(offers.elastic) });
  if (offers.breakeven !== undefined)
    out.push({ source: 'breakeven', stop: dec(offers.breakeven) });
  return out;
}

/** The position statechart's actions, in the order a step runs them. */
export const positionActions = {
  emitOpened: action(({ context, enqueue }) => {
    enqueue.emit({ type: 'opened', ts: context.position.openedAt, stop: context.stop });
  }),

  // SPEC steps 0–2 on a PRICE: reject a bad tick, exit on the standing stop, or accept the tick
  // (peak, window) and raise the phases `run` names. Activation is worked out here, once.
  takeTick: action<{ run: StepRun }>(({ context, event, enqueue }, { run }) => {
    if (event.type !== 'PRICE') return;
    const checked = checkTick(event, context.lastTs ?? undefined);
    if (checked.why !== undefined) {
      enqueue.emit({ type: 'tickRejected', ts: event.ts, why: checked.why });
      return;
    }
    const { price } = checked;
    const side = context.position.side;
    if (crossesStop(side, price, context.stop)) {
      const step = stepPoint(event.ts, price, false, null);
      enqueue.assign({ lastTs: event.ts, lastPrice: step.price, step });
      enqueue.raise({ type: 'tick.exit' });
      return;
    }
    const activation = run === 'activationAndRules' ? activationAt(context, event.ts, price) : null;
    const step = stepPoint(event.ts, price, false, activation);
    const peak =
      context.peakPrice === null ? price : favourable(dec(context.peakPrice), price, side);
    enqueue.assign({
      lastTs: event.ts,
      lastPrice: step.price,
      peakPrice: peak.toFixed(),
      window: pushWindow(context.window, [event.ts, step.price], context.windowMs),
      step,
    });
    for (const type of PHASES[run]) enqueue.raise({ type });
  }),

  // A CLOCK re-runs the step at its time with the last accepted price (only activation
  // depends on time alone; momentum and SETE are defined over ticks).
  takeClock: action(({ context, event, enqueue }) => {
    if (event.type !== 'CLOCK' || context.lastPrice === null) return;
    const price = dec(context.lastPrice);
    const step = stepPoint(event.ts, price, true, activationAt(context, event.ts, price));
    enqueue.assign({ clockTs: event.ts, step });
    for (const type of PHASES.activationAndRules) enqueue.raise({ type });
  }),

  activate: action(({ context, enqueue }) => {
    const { point } = currentStep(context);
    if (point.activation === null) return;
    enqueue.assign({ extreme: point.price });
    enqueue.emit({ type: 'activated', ts: point.ts, price: point.price, reason: point.activation });
  }),

  // The breakeven candidate never changes once reached: it is offered once and stands.
  reachBreakeven: action(({ context, enqueue }) => {
    const breakeven = context.policy.breakeven;
    if (breakeven === undefined) return;
    const { point } = currentStep(context);
    const stop = breakevenStop(
      breakeven,
      dec(context.position.entryPrice),
      context.position.side,
      dec(context.market.tickSize),
    );
    enqueue.assign({ offers: { ...context.offers, breakeven: stop.toFixed() } });
    enqueue.emit({ type: 'breakevenReached', ts: point.ts, price: point.price });
  }),

  announceMomentum: action<{ type: 'accelerated' | 'decelerated' }>(
    ({ context, enqueue }, { type }) => {
      const { point } = currentStep(context);
      enqueue.emit({ type, ts: point.ts, price: point.price });
    },
  ),

  // Follows the extreme and renews the trailing candidate.
  trail: action<{ accelerated: boolean }>(({ context, enqueue }, { accelerated }) => {
    const trailing = context.policy.trailing;
    if (trailing === undefined || context.peakPrice === null) return;
    const side = context.position.side;
    const { price } = currentStep(context);
    const extreme =
      context.extreme === null ? price : favourable(dec(context.extreme), price, side);
    const distance = activeDistance(
      trailing,
      dec(context.peakPrice),
      dec(context.position.entryPrice),
      side,
      accelerated,
    );
    const stop = trailingStop(distance, extreme, side, dec(context.market.tickSize));
    enqueue.assign({
      extreme: extreme.toFixed(),
      offers: { ...context.offers, trailing: stop.toFixed() },
    });
  }),

  engageElastic: action(({ context, enqueue }) => {
    const { point } = currentStep(context);
    enqueue.emit({ type: 'elasticEngaged', ts: point.ts, price: point.price });
  }),

  // SETE on one tick, in SPEC order — pullback lock, big jump, peak lock — then the elastic
  // candidate. `peakLock` says whether this tick enters PEAK_LOCKED (announce it), holds it,
  // or is not there.
  lockProfit: action<{ peakLock: 'reach' | 'hold' | 'none' }>(
    ({ context, enqueue }, { peakLock }) => {
      const elastic = context.policy.elastic;
      if (elastic === undefined || context.peakPrice === null) return;
      const { point, price } = currentStep(context);
      const frame = elasticFrame(context);
      const held = context.lock === null ? undefined : dec(context.lock);
      let lock = pullbackLock(elastic, frame, dec(context.peakPrice), held);
      const jumped =
        elastic.bigJump === undefined
          ? undefined
          : bigJumpLock(elastic.bigJump, frame, context.window, point.ts, price, lock);
      if (jumped !== undefined) {
        lock = jumped;
        enqueue.emit({
          type: 'bigJumpLocked',
          ts: point.ts,
          lock: lockValue(frame, jumped).toFixed(),
        });
      }
      if (peakLock !== 'none' && elastic.peakLock !== undefined) {
        if (peakLock === 'reach')
          enqueue.emit({ type: 'peakLocked', ts: point.ts, price: point.price });
        lock = peakLockFloor(elastic.peakLock, frame, lock);
      }
      enqueue.assign({
        lock: lock.toFixed(),
        offers: { ...context.offers, elastic: elasticStop(frame, lock).toFixed() },
      });
    },
  ),

  // SPEC steps 7 and 8, once every region has made its offer for the step: the ratchet, then
  // the exit check against the stop as it now stands.
  settleStop: action(({ context, enqueue }) => {
    const { point, price } = currentStep(context);
    const side = context.position.side;
    const moved = ratchet(dec(context.stop), candidatesOf(context.offers), side);
    if (moved !== undefined) {
      const stop = moved.stop.toFixed();
      enqueue.assign({ stop, stopSource: moved.source });
      enqueue.emit({
        type: 'stopMoved',
        ts: point.ts,
        price: point.price,
        stop,
        source: moved.source,
      });
    }
    if (crossesStop(side, price, moved?.stop ?? context.stop)) enqueue.raise({ type: 'tick.exit' });
  }),

  // The position exits at the step's price on the stop as it stands, whichever step found it
  // crossed (SPEC steps 1 and 8).
  exitAtStop: action(({ context, enqueue }) => {
    const { point } = currentStep(context);
    const exit = {
      ts: point.ts,
      price: point.price,
      stop: context.stop,
      reason: context.stopSource,
    };
    enqueue.assign({ exit });
    enqueue.emit({ type: 'exited', ...exit });
  }),
};
