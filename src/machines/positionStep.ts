import { dec, type Dec } from '../domain/money.ts';
import type { ActivationReason, Millis } from '../domain/types.ts';
import type { PositionContext, StepPoint } from './positionContext.ts';

// Every guard and action of a step reads its price: the point keeps the one parse, and a
// WeakMap lets it go with the point.
const stepPrices = new WeakMap<StepPoint, Dec>();

/** Returns the point of a step at `ts` and `price`, its parsed price kept for {@link currentStep}. */
export function stepPoint(
  ts: Millis,
  price: Dec,
  clock: boolean,
  activation: ActivationReason | null,
): StepPoint {
  const point: StepPoint = { ts, price: price.toFixed(), clock, activation };
  stepPrices.set(point, price);
  return point;
}

/** The step in progress: its point, and the point's price as an exact decimal. */
export interface Step {
  readonly point: StepPoint;
  readonly price: Dec;
}

/** Returns the step in progress; throws when called outside a step. */
export function currentStep(context: PositionContext): Step {
  const point = context.step;
  if (point === null) throw new Error('position machine: no step in progress');
  let price = stepPrices.get(point);
  if (price === undefined) {
    price = dec(point.price);
    stepPrices.set(point, price);
  }
  return { point, price };
}
