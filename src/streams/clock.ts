/**
 * The CLOCK heartbeat. The position statechart reads no clock of its own (time is data), so
 * time-based rules such as `activation.afterSeconds` would never fire on a quiet market; the
 * engine sends every actor this event instead, stamped with the scheduler's time.
 */
import { asyncScheduler, map, type Observable, type SchedulerLike, timer } from 'rxjs';

/** The event every actor receives once a period; `ts` is the scheduler's now() in ms. */
export interface ClockEvent {
  readonly type: 'CLOCK';
  readonly ts: number;
}

/**
 * Returns a cold, endless stream of CLOCK events, one every `periodMs` (default 1000) from
 * subscription, with `ts` read from `scheduler.now()` at emission. Under a replay's virtual
 * scheduler the ts follow the scenario's clock. Throws RangeError for a period that is not a
 * positive finite number (a zero period would spin).
 */
export function clock(
  periodMs = 1000,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<ClockEvent> {
  if (!(Number.isFinite(periodMs) && periodMs > 0)) {
    throw new RangeError(`clock period must be a positive number of milliseconds, got ${periodMs}`);
  }
  return timer(periodMs, periodMs, scheduler).pipe(
    map((): ClockEvent => ({ type: 'CLOCK', ts: scheduler.now() })),
  );
}
