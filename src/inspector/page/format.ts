import type { InspectedInput } from '../../inspection/inspectionRecord.ts';
import type { PositionEvent } from '../../domain/types.ts';
import type { SyncRecord } from '../../machines/orderSyncTypes.ts';

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

/** Returns a timestamp where space is short: the time of day (UTC) for epoch clocks, as formatTs otherwise. */
export function formatClock(ts: number | null): string {
  if (ts === null || Math.abs(ts) < EPOCH_THRESHOLD) return formatTs(ts);
  return new Date(ts).toISOString().slice(11, 23);
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

/** Returns a duration for people: `0 ms`, `850 ms`, `12.4 s`, `3 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Returns the details of an order-sync journal line, without its type and ts. */
export function describeSyncRecord(record: SyncRecord): string {
  switch (record.type) {
    case 'placeStop':
      return `stop ${record.stopPrice} × ${record.quantity} (${record.clientId})`;
    case 'stopResting':
      return `${record.stop.stopPrice} rests (${record.stop.clientId})${record.replaces === null ? '' : `, replacing ${record.replaces}`}`;
    case 'cancelStop':
      return `${record.clientId} (${record.purpose})`;
    case 'stopCancelled':
      return `${record.id} (${record.purpose})`;
    case 'stopFired':
      return record.id;
    case 'lookUpStop':
      return `${record.clientId} after ${record.after}`;
    case 'stopLookedUp':
      return `${record.clientId}: ${record.status}`;
    case 'closeAtMarket':
      return `${record.quantity} (${record.clientId})`;
    case 'lookUpClose':
      return record.clientId;
    case 'closedAtMarket':
      return `${record.clientId}${record.filled ? ' filled' : ' nothing to close'}`;
    case 'requestFailed':
      return `${record.command}: ${record.kind} (${record.message})`;
    case 'positionResized':
      return `quantity ${record.quantity}`;
    case 'positionFlat':
      return 'the position is flat';
    case 'reconciled':
      return `resting ${record.resting ?? 'none'}, ${record.leftovers} leftover(s), quantity ${record.quantity ?? 'flat'}`;
    case 'alert':
      return record.message;
    case 'syncDone':
      return `unprotected ${formatDuration(record.unprotectedMs)}, gaps ${formatDuration(record.gapMs)}`;
    case 'closeRequested':
      return record.reason;
    default:
      // A record kind newer than this page: shown by its type alone.
      return '';
  }
}
