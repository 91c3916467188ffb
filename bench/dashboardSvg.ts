/**
 * Draws a Grafana dashboard's panels as one self-contained SVG in a dark, Grafana-like theme:
 * rows, stat panels (value big on its threshold colour, with a sparkline) and time series
 * (lines or bars, axes in the panel's unit, a legend), placed by each panel's gridPos. The data
 * comes from the dashboard's own queries, evaluated by bench/promqlSubset.ts over scrapes.
 */
import { evaluateRange, type RangeSeries, type SeriesStore } from './promqlSubset.ts';

/** The parts of a Grafana dashboard panel this drawing reads. */
export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  };
  readonly targets?: readonly { readonly expr: string; readonly legendFormat?: string }[];
  readonly fieldConfig?: {
    readonly defaults?: {
      readonly unit?: string;
      readonly decimals?: number;
      readonly thresholds?: { readonly steps: readonly { color: string; value: number | null }[] };
      readonly custom?: {
        readonly drawStyle?: string;
        /** Grafana draws each threshold step as a line when this is `line` or `dashed`. */
        readonly thresholdsStyle?: { readonly mode: string };
      };
    };
  };
}

/** A Grafana dashboard: its title and panels. */
export interface Dashboard {
  readonly title: string;
  readonly panels: readonly DashboardPanel[];
}

/** A series as a panel draws it: its legend, colour and a value per instant. */
interface Drawn {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** A panel's series, evaluated. */
export interface EvaluatedPanel {
  readonly panel: DashboardPanel;
  readonly series: readonly Drawn[];
}

const PANEL_TYPES = new Set(['row', 'stat', 'timeseries']);
// Grafana's classic palette, in its order.
const PALETTE = [
  '#7EB26D',
  '#EAB839',
  '#6ED0E0',
  '#EF843C',
  '#E24D42',
  '#1F78C1',
  '#BA43A6',
  '#705DA0',
  '#508642',
  '#CCA300',
];
// Grafana's named colours (dark theme).
const NAMED: Readonly<Record<string, string>> = {
  green: '#73BF69',
  red: '#F2495C',
  orange: '#FF9830',
  yellow: '#FADE2A',
  blue: '#5794F2',
  purple: '#B877D9',
};
const THEME = {
  page: '#111217',
  panel: '#181b1f',
  border: '#2c3235',
  text: '#ccccdc',
  muted: '#8e8e99',
  grid: '#ffffff17',
  font: 'Inter, Helvetica, Arial, sans-serif',
};
const WIDTH = 1560;
const PAD = 16;
const CELL_H = 30;
const GAP = 8;
const HEADER = 64;

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function legendOf(format: string | undefined, labels: Readonly<Record<string, string>>): string {
  if (format === undefined || format === '' || format === '__auto')
    return Object.keys(labels).length === 0
      ? 'value'
      : `{${Object.entries(labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(', ')}}`;
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label: string) => labels[label] ?? '');
}

/**
 * Returns every panel of the dashboard with its queries evaluated at `times` over `store`.
 * Throws for a panel type it cannot draw and (from the evaluator) for a query outside the subset.
 */
export function evaluatePanels(
  dashboard: Dashboard,
  store: SeriesStore,
  times: readonly number[],
): EvaluatedPanel[] {
  return dashboard.panels.map((panel) => {
    if (!PANEL_TYPES.has(panel.type))
      throw new Error(
        `panel ${panel.id} "${panel.title}" is a ${panel.type} panel; this drawing knows row, stat and timeseries`,
      );
    const drawn: Drawn[] = [];
    for (const target of panel.targets ?? []) {
      let series: RangeSeries[];
      try {
        series = evaluateRange(target.expr, store, times);
      } catch (error) {
        throw new Error(`panel ${panel.id} "${panel.title}": ${(error as Error).message}`, {
          cause: error,
        });
      }
      const named = series
        .map((s) => ({ name: legendOf(target.legendFormat, s.labels), values: s.values }))
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const s of named)
        drawn.push({ ...s, color: PALETTE[drawn.length % PALETTE.length] ?? '#ccc' });
    }
    return { panel, series: drawn };
  });
}

/** How an axis or a value shows numbers of a Grafana unit: divide by `factor`, append `suffix`. */
interface Scale {
  readonly factor: number;
  readonly suffix: string;
}

function scaleFor(unit: string | undefined, magnitude: number): Scale {
  const m = Math.abs(magnitude);
  const pick = (steps: readonly [number, string][]): Scale => {
    let chosen = steps[0] as [number, string];
    for (const step of steps) if (m >= step[0]) chosen = step;
    return { factor: chosen[0], suffix: chosen[1] };
  };
  switch (unit) {
    case 's':
      return pick([
        [1e-9, ' ns'],
        [1e-6, ' µs'],
        [1e-3, ' ms'],
        [1, ' s'],
        [60, ' min'],
        [3600, ' hour'],
      ]);
    case 'bytes':
      return pick([
        [1, ' B'],
        [1024, ' KiB'],
        [1024 ** 2, ' MiB'],
        [1024 ** 3, ' GiB'],
      ]);
    case 'percentunit':
      return { factor: 0.01, suffix: '%' };
    case 'reqps':
      return pick([
        [1, ' req/s'],
        [1e3, ' K req/s'],
        [1e6, ' Mil req/s'],
      ]);
    default:
      return pick([
        [1, ''],
        [1e3, ' K'],
        [1e6, ' Mil'],
      ]);
  }
}

function fixed(n: number, decimals: number | undefined): string {
  if (decimals !== undefined) return n.toFixed(decimals);
  const abs = Math.abs(n);
  const digits = abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(n.toFixed(digits)).toString();
}

/** Returns a value as Grafana shows it in `unit`, e.g. 0.0023 s → "2.3 ms", 51200000 bytes → "48.8 MiB". */
export function formatValue(value: number, unit: string | undefined, decimals?: number): string {
  const scale = scaleFor(unit, value === 0 ? 1 : value);
  return `${fixed(value / scale.factor, decimals)}${scale.suffix}`;
}

function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const n = raw / power;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * power;
}

/** Returns the y ticks (in raw units) for values from lo to hi, scaled so labels come out round. */
function yTicks(
  lo: number,
  hi: number,
  unit: string | undefined,
  count: number,
): { ticks: number[]; top: number; scale: Scale; decimals: number } {
  const scale = scaleFor(unit, Math.max(Math.abs(lo), Math.abs(hi)));
  const step = niceStep((hi - lo) / scale.factor, count);
  const power = Math.floor(Math.log10(step) + 1e-9);
  // A step of 2.5 × 10^k needs one decimal more than its power says.
  const decimals = Math.max(0, -power + (Math.round((step / 10 ** power) * 10) === 25 ? 1 : 0));
  const first = Math.floor(lo / scale.factor / step) * step;
  const ticks: number[] = [];
  let top = first;
  for (let v = first; v <= hi / scale.factor + step * 0.999; v += step) {
    ticks.push(v * scale.factor);
    top = v;
  }
  return { ticks, top: top * scale.factor, scale, decimals };
}

function clock(epochSeconds: number, withSeconds: boolean): string {
  return new Date(epochSeconds * 1000).toISOString().slice(11, withSeconds ? 19 : 16);
}

function panelFrame(
  x: number,
  y: number,
  w: number,
  h: number,
  title: string,
  fill = THEME.panel,
): string {
  const ink = fill === THEME.panel ? THEME.text : '#ffffff';
  return [
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="${fill}" stroke="${THEME.border}"/>`,
    `<text x="${x + 10}" y="${y + 22}" fill="${ink}" font-size="14" font-weight="500">${escape(title)}</text>`,
  ].join('');
}

function noData(x: number, y: number, w: number, h: number): string {
  return `<text x="${x + w / 2}" y="${y + h / 2 + 6}" fill="${THEME.muted}" font-size="16" text-anchor="middle">No data</text>`;
}

function thresholdColor(panel: DashboardPanel, value: number): string {
  let color = 'green';
  for (const step of panel.fieldConfig?.defaults?.thresholds?.steps ?? [])
    if (step.value === null || value >= step.value) color = step.color;
  return NAMED[color] ?? color;
}

function lastNotNull(values: readonly (number | null)[]): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i] as number;
  return undefined;
}

function drawStat(e: EvaluatedPanel, x: number, y: number, w: number, h: number): string {
  const series = e.series[0];
  const value = series === undefined ? undefined : lastNotNull(series.values);
  if (series === undefined || value === undefined)
    return panelFrame(x, y, w, h, e.panel.title) + noData(x, y, w, h);
  const color = thresholdColor(e.panel, value);
  const parts = [panelFrame(x, y, w, h, e.panel.title, color)];
  // graphMode "area": the series as a faint area along the bottom.
  const known = series.values.filter((v): v is number => v !== null);
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const sx = (i: number) => x + 1 + (i / Math.max(1, series.values.length - 1)) * (w - 2);
  const sy = (v: number) => y + h - 4 - (hi === lo ? 0.1 : (v - lo) / (hi - lo)) * (h * 0.4);
  const points = series.values.flatMap((v, i) =>
    v === null ? [] : [`${sx(i).toFixed(1)},${sy(v).toFixed(1)}`],
  );
  if (points.length > 1)
    parts.push(
      `<polygon points="${sx(series.values.findIndex((v) => v !== null)).toFixed(1)},${y + h - 1} ${points.join(' ')} ${sx(series.values.length - 1).toFixed(1)},${y + h - 1}" fill="#ffffff" fill-opacity="0.18" stroke="#ffffff" stroke-opacity="0.5"/>`,
    );
  const text = formatValue(
    value,
    e.panel.fieldConfig?.defaults?.unit,
    e.panel.fieldConfig?.defaults?.decimals,
  );
  parts.push(
    `<text x="${x + w / 2}" y="${y + h / 2 + 18}" fill="#ffffff" font-size="${Math.min(56, (w / Math.max(3, text.length)) * 1.6).toFixed(0)}" font-weight="500" text-anchor="middle">${escape(text)}</text>`,
  );
  return parts.join('');
}

function drawTimeseries(
  e: EvaluatedPanel,
  times: readonly number[],
  x: number,
  y: number,
  w: number,
  h: number,
): string {
  const parts = [panelFrame(x, y, w, h, e.panel.title)];
  const defaults = e.panel.fieldConfig?.defaults;
  const unit = defaults?.unit;
  const known = e.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (known.length === 0) return parts.join('') + noData(x, y, w, h);
  // The legend: a row of swatches and names, wrapped, at the bottom.
  const legendRows: { color: string; name: string; at: number }[][] = [[]];
  let cursor = 0;
  for (const s of e.series) {
    const width = 24 + s.name.length * 6.6;
    if (cursor > 0 && cursor + width > w - 20) {
      legendRows.push([]);
      cursor = 0;
    }
    legendRows[legendRows.length - 1]?.push({ color: s.color, name: s.name, at: cursor });
    cursor += width + 14;
  }
  const legendH = legendRows.length * 18 + 6;
  let lo = Math.min(0, ...known);
  let hi = Math.max(...known);
  if (hi === lo) hi = lo + (unit === 's' ? 0.001 : 1);
  const plotTop = y + 36;
  const plotBottom = y + h - legendH - 22;
  const { ticks, top, scale, decimals } = yTicks(
    lo,
    hi,
    unit,
    Math.max(2, Math.floor((plotBottom - plotTop) / 40)),
  );
  hi = Math.max(hi, top);
  lo = Math.min(lo, ticks[0] ?? lo);
  const labels = ticks.map((t) => `${(t / scale.factor).toFixed(decimals)}${scale.suffix}`);
  const axisW = Math.max(...labels.map((l) => l.length)) * 6.8 + 14;
  const plotLeft = x + 8 + axisW;
  const plotRight = x + w - 14;
  const px = (i: number) =>
    plotLeft +
    (((times[i] as number) - (times[0] as number)) /
      Math.max(1e-9, (times[times.length - 1] as number) - (times[0] as number))) *
      (plotRight - plotLeft);
  const py = (v: number) => plotBottom - ((v - lo) / (hi - lo)) * (plotBottom - plotTop);
  ticks.forEach((t, i) => {
    parts.push(
      `<line x1="${plotLeft}" x2="${plotRight}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="${THEME.grid}"/>`,
    );
    parts.push(
      `<text x="${plotLeft - 6}" y="${(py(t) + 4).toFixed(1)}" fill="${THEME.muted}" font-size="11" text-anchor="end">${escape(labels[i] ?? '')}</text>`,
    );
  });
  // Time ticks on round clock times, about every 100 px.
  const t0 = times[0] as number;
  const t1 = times[times.length - 1] as number;
  const every =
    [10, 15, 30, 60, 120, 300, 600, 1800, 3600].find(
      (s) => ((t1 - t0) / s) * 100 <= plotRight - plotLeft,
    ) ?? 3600;
  for (let t = Math.ceil(t0 / every) * every; t <= t1; t += every) {
    const tx = plotLeft + ((t - t0) / Math.max(1e-9, t1 - t0)) * (plotRight - plotLeft);
    parts.push(
      `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${plotTop}" y2="${plotBottom}" stroke="${THEME.grid}"/>`,
    );
    parts.push(
      `<text x="${tx.toFixed(1)}" y="${plotBottom + 16}" fill="${THEME.muted}" font-size="11" text-anchor="middle">${clock(t, every < 60)}</text>`,
    );
  }
  // Threshold lines (an alert level) where Grafana would draw them; one outside the axis range
  // is not drawn, and the range is not stretched to show it: the data keeps its scale.
  const lineMode = defaults?.custom?.thresholdsStyle?.mode;
  if (lineMode === 'line' || lineMode === 'dashed')
    for (const step of defaults?.thresholds?.steps ?? []) {
      if (step.value === null || step.value < lo || step.value > hi) continue;
      const ty = py(step.value).toFixed(1);
      const dash = lineMode === 'dashed' ? ' stroke-dasharray="6 4"' : '';
      parts.push(
        `<line x1="${plotLeft}" x2="${plotRight}" y1="${ty}" y2="${ty}" stroke="${NAMED[step.color] ?? step.color}" stroke-width="1"${dash}/>`,
      );
    }
  const bars = defaults?.custom?.drawStyle === 'bars';
  const barW = Math.max(1, ((plotRight - plotLeft) / Math.max(1, times.length)) * 0.6);
  for (const s of e.series) {
    if (bars) {
      s.values.forEach((v, i) => {
        // A zero bar is no bar, as Grafana draws it.
        if (v === null || v === 0) return;
        const top = Math.min(py(v), py(0));
        parts.push(
          `<rect x="${(px(i) - barW / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, Math.abs(py(v) - py(0))).toFixed(1)}" fill="${s.color}" fill-opacity="0.8"/>`,
        );
      });
      continue;
    }
    // A null breaks the line, as Grafana's default "connect null values: never".
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1)
        parts.push(
          `<polyline points="${run.join(' ')}" fill="none" stroke="${s.color}" stroke-width="1.5" stroke-linejoin="round"/>`,
        );
      else if (run.length === 1) {
        const [cx, cy] = (run[0] ?? '0,0').split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="1.5" fill="${s.color}"/>`);
      }
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v === null) flush();
      else run.push(`${px(i).toFixed(1)},${py(v).toFixed(1)}`);
    });
    flush();
  }
  legendRows.forEach((row, r) => {
    const ly = y + h - legendH + 8 + r * 18;
    for (const item of row) {
      const lx = x + 10 + item.at;
      parts.push(
        `<rect x="${lx.toFixed(1)}" y="${ly + 4}" width="14" height="4" rx="1" fill="${item.color}"/>`,
      );
      parts.push(
        `<text x="${(lx + 20).toFixed(1)}" y="${ly + 10}" fill="${THEME.text}" font-size="12">${escape(item.name)}</text>`,
      );
    }
  });
  return parts.join('');
}

/**
 * Returns the evaluated panels drawn as an SVG document: a header with `title` and `subtitle` (one line per `\n`),
 * then each panel at its gridPos (24 columns, 30 px rows as Grafana lays them out).
 */
export function renderDashboardSvg(
  panels: readonly EvaluatedPanel[],
  times: readonly number[],
  title: string,
  subtitle: string,
): string {
  const col = (WIDTH - 2 * PAD + GAP) / 24;
  const rows = Math.max(...panels.map((p) => p.panel.gridPos.y + p.panel.gridPos.h));
  const notes = subtitle.split('\n');
  const header = HEADER + (notes.length - 1) * 18;
  const height = header + rows * (CELL_H + GAP) + PAD;
  const body = panels.map((e) => {
    const g = e.panel.gridPos;
    const x = PAD + g.x * col;
    const y = header + g.y * (CELL_H + GAP);
    const w = g.w * col - GAP;
    const h = g.h * CELL_H + (g.h - 1) * GAP;
    if (e.panel.type === 'row')
      return `<text x="${x}" y="${y + 21}" fill="${THEME.text}" font-size="15" font-weight="500">⌄ ${escape(e.panel.title)}</text>`;
    return e.panel.type === 'stat' ? drawStat(e, x, y, w, h) : drawTimeseries(e, times, x, y, w, h);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${THEME.font}">`,
    `<rect width="${WIDTH}" height="${height}" fill="${THEME.page}"/>`,
    `<text x="${PAD}" y="30" fill="${THEME.text}" font-size="20" font-weight="500">${escape(title)}</text>`,
    ...notes.map(
      (line, i) =>
        `<text x="${PAD}" y="${52 + i * 18}" fill="${THEME.muted}" font-size="13">${escape(line)}</text>`,
    ),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
