import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { PositionEvent } from '../../domain/types.ts';

/** The kinds of moments the price chart marks. */
export type MarkerKind = 'activation' | 'breakeven' | 'momentum' | 'elastic' | 'exit';

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
