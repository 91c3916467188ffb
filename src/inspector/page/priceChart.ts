import uPlot from 'uplot';
import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import { chartMarkers, MARKER_STYLE, type ChartMarker } from './chartMarkers.ts';
import { el } from './dom.ts';
import { formatTs } from './format.ts';
import { recordAt } from './steps.ts';

/** The price chart of one position and the handle to move its cursor. */
export interface PriceChart {
  readonly setSeq: (seq: number) => void;
  readonly destroy: () => void;
}

const PRICE_COLOR = '#cbd5e1';
const STOP_COLOR = '#f43f5e';
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

/** Fills the legend: the two lines and the marker kinds. */
export function renderLegend(legend: HTMLElement): void {
  const items: [string, string][] = [
    ['price', PRICE_COLOR],
    ['stop', STOP_COLOR],
    ['extreme', EXTREME_COLOR],
    ...Object.values(MARKER_STYLE).map((s): [string, string] => [s.label, s.color]),
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

/**
 * Draws the position's price path, its stop (a step line: a stop holds until it moves) and
 * the trailing extreme, with markers for the rule changes. The x axis is the step number so
 * that candle sub-ticks and rejected ticks keep their place; its labels show each step's time.
 * Clicking the chart selects the nearest step through `onPick`.
 */
export function createPriceChart(
  container: HTMLElement,
  records: readonly InspectionRecord[],
  onPick: (seq: number) => void,
): PriceChart {
  const xs = records.map((r) => r.seq);
  const prices = records.map(priceAt);
  const stops = records.map((r) => Number(r.context.stop));
  const extremes = records.map((r) =>
    r.context.extreme === null ? null : Number(r.context.extreme),
  );
  const markers = chartMarkers(records);
  let cursor = 0;
  const tsAt = (seq: number): number | null => {
    const r = recordAt(records, Math.round(seq));
    return r === undefined ? null : r.input.type === 'start' ? null : r.input.ts;
  };
  const size = () => ({
    width: Math.max(300, container.clientWidth),
    height: Math.max(160, container.clientHeight),
  });
  const stepped = uPlot.paths.stepped;
  const opts: uPlot.Options = {
    ...size(),
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false } },
    axes: [
      {
        ...AXIS,
        values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? formatTs(tsAt(s)) : '')),
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
      {
        label: 'stop',
        stroke: STOP_COLOR,
        width: 2,
        ...(stepped === undefined ? {} : { paths: stepped({ align: 1 }) }),
      },
      { label: 'extreme', stroke: EXTREME_COLOR, width: 1, dash: [4, 4] },
    ],
    hooks: {
      draw: [(u) => drawMarkers(u, markers), (u) => drawCursor(u, cursor)],
    },
  };
  const chart = new uPlot(opts, [xs, prices, stops, extremes], container);
  chart.over.addEventListener('click', () => {
    const idx = chart.cursor.idx;
    const picked = idx === null || idx === undefined ? undefined : xs[idx];
    if (picked !== undefined) onPick(picked);
  });
  const resize = new ResizeObserver(() => chart.setSize(size()));
  resize.observe(container);
  container.title = markers
    .map((m) => `step ${m.seq}: ${m.title}`)
    .slice(0, 40)
    .join('\n');
  return {
    setSeq: (seq) => {
      cursor = seq;
      chart.redraw(false, false);
    },
    destroy: () => {
      resize.disconnect();
      chart.destroy();
    },
  };
}
