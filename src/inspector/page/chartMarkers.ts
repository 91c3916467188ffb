import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { PositionEvent } from '../../domain/types.ts';
import type { SyncRecord } from '../../machines/orderSyncTypes.ts';
import type { SyncStep } from '../protocol.ts';

/** The kinds of moments the price chart marks: the position's rules, then its exchange orders. */
export type MarkerKind =
  | 'activation'
  | 'breakeven'
  | 'momentum'
  | 'elastic'
  | 'exit'
  | 'placed'
  | 'moved'
  | 'cancelled'
  | 'filled';

/** One marker: at a step, at a price, with a short glyph and the event behind it. */
export interface ChartMarker {
  readonly seq: number;
  readonly price: number;
  readonly kind: MarkerKind;
  readonly glyph: string;
  readonly title: string;
}

/** Colours per marker kind, shared by the chart and its legend. */
export const MARKER_STYLE: Record<MarkerKind, { readonly color: string; readonly label: string }> =
  {
    activation: { color: '#22c55e', label: 'activation' },
    breakeven: { color: '#38bdf8', label: 'breakeven' },
    momentum: { color: '#f59e0b', label: 'momentum' },
    elastic: { color: '#e879f9', label: 'elastic lock' },
    exit: { color: '#f43f5e', label: 'exit' },
    placed: { color: '#2dd4bf', label: 'placed' },
    moved: { color: '#5eead4', label: 'moved' },
    cancelled: { color: '#94a3b8', label: 'cancelled' },
    filled: { color: '#fb923c', label: 'filled' },
  };

function markerOf(
  event: PositionEvent,
  record: InspectionRecord,
  price: number,
): ChartMarker | undefined {
  const at = (kind: MarkerKind, glyph: string, title: string, y = price): ChartMarker => ({
    seq: record.seq,
    price: y,
    kind,
    glyph,
    title,
  });
  switch (event.type) {
    case 'activated':
      return at('activation', 'A', `activated (${event.reason}) at ${event.price}`);
    case 'breakevenReached':
      return at('breakeven', 'B', `breakeven reached at ${event.price}`);
    case 'accelerated':
      return at('momentum', 'M+', `momentum accelerated at ${event.price}`);
    case 'decelerated':
      return at('momentum', 'M−', `momentum decelerated at ${event.price}`);
    case 'elasticEngaged':
      return at('elastic', 'E', `elastic engaged at ${event.price}`);
    case 'peakLocked':
      return at('elastic', 'P', `peak lock at ${event.price}`);
    case 'bigJumpLocked':
      return at('elastic', 'J', `big jump: lock ${event.lock}`, Number(record.context.stop));
    case 'stopMoved':
      return event.source === 'elastic'
        ? at('elastic', 'L', `elastic lock moved the stop to ${event.stop}`, Number(event.stop))
        : undefined;
    case 'exited':
      return at('exit', 'X', `exited at ${event.price} (${event.reason}, stop ${event.stop})`);
    default:
      return undefined;
  }
}

/** Returns the chart markers of a history: activation, breakeven, momentum, elastic locks and the exit. */
export function chartMarkers(records: readonly InspectionRecord[]): ChartMarker[] {
  const out: ChartMarker[] = [];
  for (const record of records) {
    const price =
      record.input.type === 'PRICE' ? Number(record.input.price) : Number(record.context.lastPrice);
    for (const event of record.events) {
      const marker = markerOf(event, record, price);
      if (marker !== undefined) out.push(marker);
    }
  }
  return out;
}

function orderMarkerOf(
  record: SyncRecord,
  step: SyncStep,
  price: number,
): Omit<ChartMarker, 'seq'> | undefined {
  switch (record.type) {
    case 'stopResting':
      return record.replaces === null
        ? {
            price: Number(record.stop.stopPrice),
            kind: 'placed',
            glyph: 'P',
            title: `stop placed on the exchange at ${record.stop.stopPrice} (${record.stop.clientId})`,
          }
        : {
            price: Number(record.stop.stopPrice),
            kind: 'moved',
            glyph: '↑',
            title: `stop moved on the exchange to ${record.stop.stopPrice} (${record.stop.clientId})`,
          };
    case 'stopCancelled':
      // A superseded stop's cancel is the second half of a move, already marked by it.
      return record.purpose === 'superseded'
        ? undefined
        : {
            price: step.restingStop === null ? price : Number(step.restingStop),
            kind: 'cancelled',
            glyph: 'C',
            title: `stop ${record.id} cancelled (${record.purpose})`,
          };
    case 'stopFired':
      return { price, kind: 'filled', glyph: 'F', title: `the exchange's stop ${record.id} fired` };
    case 'closedAtMarket':
      return record.filled
        ? { price, kind: 'filled', glyph: 'F', title: `closed at market (${record.clientId})` }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Returns the markers of a live position's exchange orders: each stop placed, moved, cancelled
 * (other than by a move) and each fill, at the position step it happened in. Steps older than
 * the records held are left out.
 */
export function orderMarkers(
  records: readonly InspectionRecord[],
  steps: readonly SyncStep[],
): ChartMarker[] {
  const first = records[0]?.seq ?? 0;
  const out: ChartMarker[] = [];
  // Our own cancels: the account stream may report one before its answer does, as `external`.
  const asked = new Set<string>();
  for (const step of steps) {
    for (const r of step.records) if (r.type === 'cancelStop') asked.add(r.id);
    if (step.at < first) continue;
    const record = records[step.at - first];
    const price = Number(record?.context.lastPrice ?? step.desiredStop);
    for (const r of step.records) {
      if (r.type === 'stopCancelled' && asked.has(r.id) && r.purpose === 'external') continue;
      const marker = orderMarkerOf(r, step, price);
      if (marker !== undefined) out.push({ ...marker, seq: step.at });
    }
  }
  return out;
}
