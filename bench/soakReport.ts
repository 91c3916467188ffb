import { z } from 'zod';
import { FAULT_KINDS, SOAK_VENUES } from './soakSchedule.ts';

const count = z.number().int().min(0);
const ms = z.number().min(0);

/** Percentiles of a set of durations in ms; null when there was none. */
const percentiles = z.object({ count, p50: ms, p99: ms, max: ms }).strict().nullable();

/** One sample of the run, for the charts. */
const sample = z
  .object({
    /** Soak time, ms since the start. */
    atMs: ms,
    openPositions: count,
    /** Naked ms summed over every position so far. */
    nakedMs: ms,
    /** REST requests the emulator served so far. */
    requests: count,
    engineUp: z.boolean(),
    /** `running`, `down` (killed, restarting) or `halted` (its store failed). */
    engineState: z.enum(['running', 'down', 'halted']),
    /** The longest price → stop-resting latency that finished in this sample's second; 0 if none. */
    latencyMaxMs: ms,
  })
  .strict();

/** One injected fault, for the chart of faults over time. */
const faultEntry = z.object({ atMs: ms, kind: z.enum(FAULT_KINDS), forMs: ms }).strict();

/**
 * The JSON report of one soak (`--json FILE`); its fields are documented in docs/soak.md and
 * this schema is what a reader may rely on.
 */
export const soakReportSchema = z
  .object({
    version: z.literal(2),
    /** The wire format the engine traded through: Binance USDⓈ-M or Bybit v5. */
    venue: z.enum(SOAK_VENUES),
    seed: z.number().int(),
    /** Soak time asked for, ms (checkpoints pause it). */
    durationMs: ms,
    /** Wall time the run took, ms. */
    wallMs: ms,
    symbols: z.array(z.string()).min(1),
    positions: z
      .object({
        opened: count,
        closedByStop: count,
        closedByTest: count,
        /** Closed by the engine's market order (virtual stop or close decision). */
        closedByEngine: count,
        openAtEnd: count,
        positionHours: ms,
      })
      .strict(),
    /** Faults injected, by kind (a kill or full disk due while the engine restarts is skipped). */
    faults: z.record(z.enum(FAULT_KINDS), count),
    /** Faults the seeded schedule held, by kind. */
    faultsScheduled: z.record(z.enum(FAULT_KINDS), count),
    /** The injected faults in order (at most 5000). */
    faultLog: z.array(faultEntry),
    kills: count,
    /** Engines that exited at start (the soak starts another, as a supervisor would). */
    startFailures: count,
    /** Halted engines the soak stopped and started again after a full disk. */
    supervisorRestarts: count,
    /** Full disks that halted the engine (its `storeFailed` alert). */
    storeHalts: count,
    /** Order calls (place, cancel, close) that reached the exchange from a halted engine. Target 0. */
    ordersWhileHalted: count,
    checkpoints: count,
    /**
     * Positions' unprotected ms after their own first stop rested (one placed while the position
     * was open), gained while the engine ran (up, not halted, at both of two looks 100 ms apart),
     * summed. Target 0.
     */
    nakedMs: ms,
    /** The same, gained while the engine was killed, restarting or not yet started. */
    nakedMsWhileDown: ms,
    /** The same, gained while the engine was halted by a failed store write. */
    nakedMsWhileHalted: ms,
    /**
     * Unprotected ms between losing cover borrowed from a predecessor's leftover stop (same side,
     * placed before the opening, its cancel already sent) and the position's own first stop:
     * opening time, reported apart from naked time, with the positions it touched.
     */
    borrowedCoverLostMs: ms,
    borrowedCoverPositions: count,
    /** Positions open with no stop of ours after a settle or at the end. Target 0. */
    lost: count,
    /** Settles that found more than one stop of ours on one position. Target 0. */
    duplicates: count,
    /** Positions whose best stop of ours stayed looser than the acknowledged one for 2 s. Target 0. */
    looserStops: count,
    /** Settles that found a stop of ours on a symbol with no position. */
    orphans: count,
    /** Settles that did not converge within their bound. */
    unsettled: count,
    /** Whether every journal's seq ran 1..n with no gap after the kills. */
    journalContinuous: z.boolean(),
    journalLines: count,
    requests: count,
    requestsPerPositionHour: ms,
    /** Price set on the exchange → the engine's `stopResting` log record for that position. */
    decisionToRestingMs: percentiles,
    /** A position's opening → its first stop of ours resting, from the emulator's records. */
    openToProtectedMs: percentiles,
    /** Error-level (and above) engine log records, counted by alert key (else by message). */
    alerts: z.record(z.string(), count),
    problems: z.array(z.string()),
    samples: z.array(sample),
  })
  .strict();

/** The JSON report of one soak. */
export type SoakReport = z.infer<typeof soakReportSchema>;

/** Returns p50/p99/max of `values` (nearest rank), or null when empty. */
export function percentilesOf(values: readonly number[]): SoakReport['decisionToRestingMs'] {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1) ?? 0 };
}

/** Returns whether the soak met its targets: nothing naked, lost or duplicated, journal whole. */
export function passed(r: SoakReport): boolean {
  return (
    r.nakedMs === 0 &&
    r.lost === 0 &&
    r.duplicates === 0 &&
    r.looserStops === 0 &&
    r.ordersWhileHalted === 0 &&
    r.journalContinuous &&
    r.problems.length === 0
  );
}

const percentText = (p: SoakReport['decisionToRestingMs'], what: string): string =>
  p === null
    ? `no ${what}`
    : `p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms (${p.count} ${what})`;

/** Returns the terminal summary of a report. */
export function summaryText(r: SoakReport): string {
  const faults = Object.entries(r.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const scheduled = Object.values(r.faultsScheduled).reduce((a, b) => a + b, 0);
  const injected = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const p = r.positions;
  return [
    `soak seed ${r.seed} on ${r.venue}: ${Math.round(r.durationMs / 1000)} s soak (${Math.round(r.wallMs / 1000)} s wall), ${r.symbols.length} symbol(s) ${r.symbols.join(',')}`,
    `  positions   opened ${p.opened}; closed by stop ${p.closedByStop}, by the test ${p.closedByTest}, by the engine ${p.closedByEngine}; open at end ${p.openAtEnd}; ${p.positionHours.toFixed(3)} position-hours`,
    `  faults      ${injected} injected of ${scheduled} scheduled: ${faults}`,
    `  engine      kills ${r.kills}, start failures ${r.startFailures}, store halts ${r.storeHalts} (restarted ${r.supervisorRestarts}, orders while halted ${r.ordersWhileHalted}); checkpoints ${r.checkpoints}`,
    `  naked       ${r.nakedMs} ms while running (${r.nakedMsWhileDown} ms while down, ${r.nakedMsWhileHalted} ms while halted)`,
    `  borrowed    ${r.borrowedCoverLostMs} ms unprotected after a predecessor's leftover stop went, before the own first stop (${r.borrowedCoverPositions} position(s); opening time, not naked)`,
    `  lost        ${r.lost}`,
    `  duplicates  ${r.duplicates} (orphans ${r.orphans}, unsettled ${r.unsettled})`,
    `  looser      ${r.looserStops} stop(s) looser than acknowledged`,
    `  journal     ${r.journalContinuous ? 'continuous' : 'BROKEN'} (${r.journalLines} lines)`,
    `  requests    ${r.requests} (${Math.round(r.requestsPerPositionHour)} per position-hour)`,
    `  latency     price → stop resting ${percentText(r.decisionToRestingMs, 'moves')}`,
    `  first stop  opening → first stop resting ${percentText(r.openToProtectedMs, 'positions')}`,
    `  alerts      ${
      Object.keys(r.alerts).length === 0
        ? 'none'
        : Object.entries(r.alerts)
            .map(([m, n]) => `${n}× ${m}`)
            .join('; ')
    }`,
    ...r.problems.map((x) => `  PROBLEM     ${x}`),
    `  verdict     ${passed(r) ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const W = 720;
const H = 140;

/** An inline SVG line chart of `ys` over `xs` (soak ms), x axis in seconds. */
function chart(
  title: string,
  xs: readonly number[],
  ys: readonly number[],
  color: string,
  maxX: number,
): string {
  const maxY = Math.max(1, ...ys);
  const points = xs
    .map((x, i) => `${((x / maxX) * W).toFixed(1)},${(H - ((ys[i] ?? 0) / maxY) * H).toFixed(1)}`)
    .join(' ');
  return `<figure><figcaption>${escape(title)} (max ${Math.round(maxY)})</figcaption><svg viewBox="-2 -2 ${W + 4} ${H + 18}" width="${W}" height="${H + 16}"><rect x="0" y="0" width="${W}" height="${H}" fill="#fafafa" stroke="#ccc"/><polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>${axis(maxX, H)}</svg></figure>`;
}

/** Seconds marks along the bottom of a chart `height` high. */
function axis(maxX: number, height: number): string {
  const marks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const x = (i / 4) * W;
    marks.push(
      `<text x="${x.toFixed(0)}" y="${height + 13}" font-size="10" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}">${Math.round(((i / 4) * maxX) / 1000)} s</text>`,
    );
  }
  return marks.join('');
}

const KIND_COLORS = [
  '#c33',
  '#e80',
  '#b90',
  '#6a3',
  '#3a8',
  '#38c',
  '#63c',
  '#c3a',
  '#555',
  '#0aa',
];

/** A strip per fault kind: a mark at each injection, as wide as the fault stood. */
function faultChart(r: SoakReport, maxX: number): string {
  const kinds = Object.keys(r.faultsScheduled);
  const row = 16;
  const height = kinds.length * row;
  const left = 90;
  const scale = (x: number) => left + (x / maxX) * (W - left);
  const rows = kinds
    .map((kind, i) => {
      const color = KIND_COLORS[i % KIND_COLORS.length] as string;
      const marks = r.faultLog
        .filter((f) => f.kind === kind)
        .map(
          (f) =>
            `<rect x="${scale(f.atMs).toFixed(1)}" y="${i * row + 3}" width="${Math.max(2, scale(f.atMs + f.forMs) - scale(f.atMs)).toFixed(1)}" height="${row - 6}" fill="${color}"><title>${kind} at ${Math.round(f.atMs / 1000)} s for ${f.forMs} ms</title></rect>`,
        )
        .join('');
      return `<text x="0" y="${i * row + 12}" font-size="11">${escape(kind)} (${r.faults[kind as keyof SoakReport['faults']] ?? 0})</text>${marks}`;
    })
    .join('');
  return `<figure><figcaption>faults over time, by kind</figcaption><svg viewBox="-2 -2 ${W + 4} ${height + 4}" width="${W}" height="${height}"><rect x="${left}" y="0" width="${W - left}" height="${height}" fill="#fafafa" stroke="#ccc"/>${rows}</svg></figure>`;
}

/** A band coloured by the engine's state in each sample. */
function stateBand(r: SoakReport, maxX: number): string {
  const colors = { running: '#9c9', down: '#e66', halted: '#fb4' } as const;
  const rects = r.samples
    .map((s, i) => {
      const nextAt = r.samples[i + 1]?.atMs ?? s.atMs + 1000;
      const x = (s.atMs / maxX) * W;
      const w = Math.max(1, ((nextAt - s.atMs) / maxX) * W);
      return `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="14" fill="${colors[s.engineState]}"/>`;
    })
    .join('');
  return `<figure><figcaption>engine: <span style="color:#393">running</span>, <span style="color:#c33">down</span>, <span style="color:#c80">halted</span></figcaption><svg viewBox="-2 -2 ${W + 4} 18" width="${W}" height="18">${rects}</svg></figure>`;
}

/** Returns a self-contained HTML page of a report: the summary and inline SVG charts. */
export function reportHtml(r: SoakReport): string {
  const xs = r.samples.map((s) => s.atMs);
  const maxX = Math.max(1, r.durationMs, ...xs);
  const requestRate = r.samples.map((s, i) => {
    const prev = r.samples[i - 1];
    return prev === undefined
      ? 0
      : Math.max(0, s.requests - prev.requests) / Math.max(1, (s.atMs - prev.atMs) / 1000);
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Ratchet soak ${r.seed} on ${r.venue}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:${W + 40}px}pre{background:#f4f4f4;padding:1em;white-space:pre-wrap}figure{margin:1.2em 0}figcaption{font-weight:600;margin-bottom:.3em}</style></head><body>
<h1>Ratchet soak on ${r.venue}, seed ${r.seed}: ${passed(r) ? 'PASS' : 'FAIL'}</h1>
<pre>${escape(summaryText(r))}</pre>
${stateBand(r, maxX)}
${chart(
  'naked ms while the engine ran (cumulative)',
  xs,
  r.samples.map((s) => s.nakedMs),
  '#c00',
  maxX,
)}
${faultChart(r, maxX)}
${chart('requests per second', xs, requestRate, '#960', maxX)}
${chart(
  'price → stop resting, slowest per second (ms)',
  xs,
  r.samples.map((s) => s.latencyMaxMs),
  '#63c',
  maxX,
)}
${chart(
  'open positions',
  xs,
  r.samples.map((s) => s.openPositions),
  '#06c',
  maxX,
)}
</body></html>
`;
}
