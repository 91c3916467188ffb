import uPlot from 'uplot';
import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { SyncStep } from '../protocol.ts';
import { chartMarkers, MARKER_STYLE, orderMarkers, type ChartMarker } from './chartMarkers.ts';
import { el } from './dom.ts';
import { formatClock } from './format.ts';
import { recordAt } from './steps.ts';
import { restingSeries } from './syncHistory.ts';

/** The price chart of one position and the handles to move its cursor and feed it new steps. */
export interface PriceChart {
  readonly setSeq: (seq: number) => void;
  /** Replaces the data (a live position's new steps) without rebuilding the chart. */
  readonly update: (records: readonly InspectionRecord[], steps: readonly SyncStep[]) => void;
  readonly destroy: () => void;
}

const PRICE_COLOR = '#cbd5e1';
const STOP_COLOR = '#f43f5e';
const RESTING_COLOR = '#2dd4bf';
const EXTREME_COLOR = '#64748b';
const AXIS = {
  stroke: '#94a3b8',
  grid: { stroke: '#1e293b', width: 1 },
  ticks: { stroke: '#334155', width: 1 },
};

/** Returns the price a step was evaluated at, or null for rejected and non-price steps. */
function priceAt(record: InspectionRecord): number | null {
  if (record.input.type !== 'PRICE') return null;
  const accepted = record.events.every((e) => e.type !== 'tickRejected');
  return accepted ? Number(record.input.price) : null;
}

function drawMarkers(u: uPlot, markers: readonly ChartMarker[]): void {
  const ctx = u.ctx;
  const dpr = devicePixelRatio;
  ctx.save();
  ctx.font = `${Math.round(10 * dpr)}px 'DejaVu Sans', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const stacked = new Map<number, number>();
  for (const m of markers) {
    const x = u.valToPos(m.seq, 'x', true);
    const y0 = u.valToPos(m.price, 'y', true);
    if (!Number.isFinite(x) || !Number.isFinite(y0)) continue;
    // Several markers on one step are stacked upwards instead of drawn on top of each other.
    const n = stacked.get(m.seq) ?? 0;
    stacked.set(m.seq, n + 1);
    const y = y0 - n * 18 * dpr;
    const r = 7.5 * dpr;
    ctx.fillStyle = MARKER_STYLE[m.kind].color;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#0b1220';
    ctx.fillText(m.glyph, x, y + 0.5 * dpr);
  }
  ctx.restore();
}

function drawCursor(u: uPlot, seq: number): void {
  const x = u.valToPos(seq, 'x', true);
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#fbbf24';
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.restore();
}

/** Fills the legend: the lines and the marker kinds (the exchange's only for a live position). */
export function renderLegend(legend: HTMLElement, live: boolean): void {
  const orderKinds = new Set(['placed', 'moved', 'cancelled', 'filled']);
  const items: [string, string][] = [
    ['price', PRICE_COLOR],
    ['desired stop', STOP_COLOR],
    ...(live ? [['resting stop', RESTING_COLOR] as [string, string]] : []),
    ['extreme', EXTREME_COLOR],
    ...Object.entries(MARKER_STYLE)
      .filter(([kind]) => live || !orderKinds.has(kind))
      .map(([, s]): [string, string] => [s.label, s.color]),
  ];
  legend.replaceChildren(
    ...items.map(([label, color]) => {
      const item = el('span', 'legend-item');
      const swatch = el('i', 'swatch');
      swatch.style.background = color;
      item.append(swatch, document.createTextNode(label));
      return item;
    }),
  );
}

function seriesOf(
  records: readonly InspectionRecord[],
  steps: readonly SyncStep[],
): uPlot.AlignedData {
  return [
    records.map((r) => r.seq),
    records.map(priceAt),
    records.map((r) => Number(r.context.stop)),
    restingSeries(records, steps),
    records.map((r) => (r.context.extreme === null ? null : Number(r.context.extreme))),
  ];
}

/** Says on the container how many points each stop line has, so a test can see both are drawn. */
function tagged(container: HTMLElement, data: uPlot.AlignedData): uPlot.AlignedData {
  const points = (i: number) => (data[i] ?? []).filter((v) => v !== null && v !== undefined).length;
  container.dataset.desiredPoints = String(points(2));
  container.dataset.restingPoints = String(points(3));
  return data;
}

/**
 * Draws the position's price path, its desired stop (a step line: a stop holds until it
 * moves), the stop resting on the exchange (live positions) and the trailing extreme, with
 * markers for the rule changes and the exchange orders. The x axis is the step number so that
 * candle sub-ticks and rejected ticks keep their place; its labels show each step's time.
 * Clicking the chart selects the nearest step through `onPick`.
 */
export function createPriceChart(
  container: HTMLElement,
  initialRecords: readonly InspectionRecord[],
  initialSteps: readonly SyncStep[],
  onPick: (seq: number) => void,
): PriceChart {
  let records = initialRecords;
  let markers: ChartMarker[] = [];
  let cursor = 0;
  const remark = (steps: readonly SyncStep[]): void => {
    markers = [...chartMarkers(records), ...orderMarkers(records, steps)];
    container.title = markers
      .map((m) => `step ${m.seq}: ${m.title}`)
      .slice(-40)
      .join('\n');
  };
  remark(initialSteps);
  const tsAt = (seq: number): number | null => {
    const r = recordAt(records, Math.round(seq));
    return r === undefined ? null : r.input.type === 'start' ? null : r.input.ts;
  };
  const size = () => ({
    width: Math.max(300, container.clientWidth),
    height: Math.max(160, container.clientHeight),
  });
  const stepped = uPlot.paths.stepped;
  const steppedPaths = stepped === undefined ? {} : { paths: stepped({ align: 1 }) };
  const opts: uPlot.Options = {
    ...size(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false } },
    axes: [
      {
        ...AXIS,
        values: (_u, splits) =>
          splits.map((s) => (Number.isInteger(s) ? formatClock(tsAt(s)) : '')),
        // A time label is up to 12 characters: room for it between two ticks.
        space: 110,
        size: 36,
      },
      { ...AXIS, size: 72 },
    ],
    series: [
      {},
      {
        label: 'price',
        stroke: PRICE_COLOR,
        width: 1.5,
        spanGaps: true,
        points: { show: records.length < 80, size: 4, fill: PRICE_COLOR },
      },
      { label: 'desired stop', stroke: STOP_COLOR, width: 2, ...steppedPaths },
      { label: 'resting stop', stroke: RESTING_COLOR, width: 2, dash: [6, 3], ...steppedPaths },
      { label: 'extreme', stroke: EXTREME_COLOR, width: 1, dash: [4, 4] },
    ],
    hooks: {
      draw: [(u) => drawMarkers(u, markers), (u) => drawCursor(u, cursor)],
    },
  };
  const chart = new uPlot(opts, tagged(container, seriesOf(records, initialSteps)), container);
  chart.over.addEventListener('click', () => {
    const idx = chart.cursor.idx;
    const picked = idx === null || idx === undefined ? undefined : records[idx]?.seq;
    if (picked !== undefined) onPick(picked);
  });
  const resize = new ResizeObserver(() => chart.setSize(size()));
  resize.observe(container);
  return {
    setSeq: (seq) => {
      cursor = seq;
      chart.redraw(false, false);
    },
    update: (next, steps) => {
      records = next;
      remark(steps);
      chart.setData(tagged(container, seriesOf(records, steps)));
    },
    destroy: () => {
      resize.disconnect();
      chart.destroy();
    },
  };
}
