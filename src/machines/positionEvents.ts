import type { Millis, Tick } from '../domain/types.ts';

/** A price observation for the position: `price` is the text as received. */
export interface PriceEvent {
  readonly type: 'PRICE';
  readonly ts: Millis;
  readonly price: string;
}

/**
 * Price observations delivered together (a replay's batch, a lane's window), taken in order as
 * if sent one PRICE each: the ticks that move no region are written in one go, each one that
 * does runs its phases. `from` is where the machine resumes after such a tick.
 */
export interface PricesEvent {
  readonly type: 'PRICES';
  readonly ticks: readonly Tick[];
  readonly from?: number;
}

/** The current time, so time-based rules fire without price ticks. */
export interface ClockEvent {
  readonly type: 'CLOCK';
  readonly ts: Millis;
}

/**
 * The phases of a step that changes the statechart's state, which the machine raises to
 * itself in SPEC order: `tick.activate` (activation, breakeven), `tick.trail` (momentum, SETE),
 * `tick.settle` (the ratchet's move, once every region has announced) and `tick.exit` when the
 * step's price crosses the stop. A parallel statechart reacts to one event
 * in all regions at once, so splitting the step is what keeps the SPEC's order across regions.
 */
export type StepPhaseEvent =
  | { readonly type: 'tick.activate' }
  | { readonly type: 'tick.trail' }
  | { readonly type: 'tick.settle' }
  | { readonly type: 'tick.exit' };

export type PositionMachineEvent = PriceEvent | PricesEvent | ClockEvent | StepPhaseEvent;
