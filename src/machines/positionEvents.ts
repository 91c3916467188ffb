import type { Millis } from '../domain/types.ts';

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
 * The phases of one step, which the machine raises to itself in SPEC order: `tick.activate`
 * (activation, breakeven), `tick.trail` (extreme, momentum, SETE: each region renews its
 * candidate), `tick.settle` (the ratchet and the exit check, once every candidate is in), and
 * `tick.exit` when the step's price crosses the stop. A parallel statechart reacts to one event
 * in all regions at once, so splitting the step is what keeps the SPEC's order across regions.
 */
export type StepPhaseEvent =
  | { readonly type: 'tick.activate' }
  | { readonly type: 'tick.trail' }
  | { readonly type: 'tick.settle' }
  | { readonly type: 'tick.exit' };

export type PositionMachineEvent = PriceEvent | ClockEvent | StepPhaseEvent;
