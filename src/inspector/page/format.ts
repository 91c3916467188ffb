import type { InspectedInput } from '../../inspection/inspectionRecord.ts';
import type { PositionEvent } from '../../domain/types.ts';

/** Clocks below this are scenario-relative (replays start at 0); above, they are epoch ms. */
const EPOCH_THRESHOLD = 1e11;

/** Returns a timestamp for people: `+12.5 s` for scenario clocks, an ISO time for epoch clocks. */
export function formatTs(ts: number | null): string {
  if (ts === null) return '—';
  if (Math.abs(ts) >= EPOCH_THRESHOLD)
    return new Date(ts).toISOString().replace('T', ' ').replace('Z', '');
  const seconds = ts / 1000;
  return `${Number.isInteger(seconds) ? seconds.toFixed(0) : seconds.toFixed(3).replace(/0+$/, '')} s`;
}

/** Returns the input of a step as one line. */
export function describeInput(input: InspectedInput): string {
  if (input.type === 'PRICE') return `PRICE ${input.price} @ ${formatTs(input.ts)}`;
  if (input.type === 'CLOCK') return `CLOCK @ ${formatTs(input.ts)}`;
  return 'position opened';
}

/** Returns the details of a SPEC event, without its type and ts. */
export function describeEvent(event: PositionEvent): string {
  switch (event.type) {
    case 'opened':
      return `stop ${event.stop}`;
    case 'activated':
      return `at ${event.price} (${event.reason})`;
    case 'stopMoved':
      return `stop ${event.stop} ← ${event.source} (price ${event.price})`;
    case 'exited':
      return `at ${event.price}, stop ${event.stop} (${event.reason})`;
    case 'bigJumpLocked':
      return `lock ${event.lock}`;
    case 'tickRejected':
      return event.why;
    default:
      return `at ${event.price}`;
  }
}

/** Returns the last segment of a state id: `position.open.distance.armed` → `armed`. */
export function stateKey(id: string): string {
  return id.slice(id.lastIndexOf('.') + 1);
}
