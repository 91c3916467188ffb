import { z } from 'zod';
import { FAULT_KINDS } from './soakSchedule.ts';

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
    /** Binance requests the emulator served so far. */
    requests: count,
    engineUp: z.boolean(),
  })
  .strict();

/**
 * The JSON report of one soak (`--json FILE`); its fields are documented in docs/soak.md and
 * this schema is what a reader may rely on.
 */
export const soakReportSchema = z
  .object({
    version: z.literal(1),
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
    faults: z.record(z.enum(FAULT_KINDS), count),
    kills: count,
    /** Engines that exited at start (the soak starts another, as a supervisor would). */
    startFailures: count,
    checkpoints: count,
    /** Positions' unprotected ms after their first stop rested, summed. Target 0. */
    nakedMs: ms,
    /** Positions open with no stop of ours after a settle or at the end. Target 0. */
    lost: count,
    /** Settles that found more than one stop of ours on one position. Target 0. */
    duplicates: count,
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
    /** Error-level (and above) engine log messages, counted by message. */
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
    r.journalContinuous &&
    r.problems.length === 0
  );
}

/** Returns the terminal summary of a report. */
export function summaryText(r: SoakReport): string {
  const lat = r.decisionToRestingMs;
  const faults = Object.entries(r.faults)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const p = r.positions;
  return [
    `soak seed ${r.seed}: ${Math.round(r.durationMs / 1000)} s soak (${Math.round(r.wallMs / 1000)} s wall), ${r.symbols.length} symbol(s) ${r.symbols.join(',')}`,
    `  positions   opened ${p.opened}; closed by stop ${p.closedByStop}, by the test ${p.closedByTest}, by the engine ${p.closedByEngine}; open at end ${p.openAtEnd}; ${p.positionHours.toFixed(3)} position-hours`,
    `  faults      ${faults}; engine kills ${r.kills} (start failures ${r.startFailures}); checkpoints ${r.checkpoints}`,
    `  naked       ${r.nakedMs} ms`,
    `  lost        ${r.lost}`,
    `  duplicates  ${r.duplicates} (orphans ${r.orphans}, unsettled ${r.unsettled})`,
    `  journal     ${r.journalContinuous ? 'continuous' : 'BROKEN'} (${r.journalLines} lines)`,
    `  requests    ${r.requests} (${Math.round(r.requestsPerPositionHour)} per position-hour)`,
    `  latency     ${lat === null ? 'no stop moved' : `price → stop resting p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms (${lat.count} moves)`}`,
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

/** An inline SVG line chart of `ys` over `xs`. */
function chart(title: string, xs: readonly number[], ys: readonly number[], color: string): string {
  const w = 640;
  const h = 160;
  const maxX = Math.max(1, ...xs);
  const maxY = Math.max(1, ...ys);
  const points = xs
    .map((x, i) => `${((x / maxX) * w).toFixed(1)},${(h - ((ys[i] ?? 0) / maxY) * h).toFixed(1)}`)
    .join(' ');
  return `<figure><figcaption>${escape(title)} (max ${maxY})</figcaption><svg viewBox="-2 -2 ${w + 4} ${h + 4}" width="${w}" height="${h}"><rect x="0" y="0" width="${w}" height="${h}" fill="#fafafa" stroke="#ccc"/><polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/></svg></figure>`;
}

/** Returns a self-contained HTML page of a report: the summary and inline SVG charts. */
export function reportHtml(r: SoakReport): string {
  const xs = r.samples.map((s) => s.atMs);
  const requestRate = r.samples.map((s, i) => {
    const prev = r.samples[i - 1];
    return prev === undefined ? 0 : Math.max(0, s.requests - prev.requests);
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Ratchet soak ${r.seed}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:720px}pre{background:#f4f4f4;padding:1em;overflow:auto}</style></head><body>
<h1>Ratchet soak, seed ${r.seed}: ${passed(r) ? 'PASS' : 'FAIL'}</h1>
<pre>${escape(summaryText(r))}</pre>
${chart(
  'naked ms (summed)',
  xs,
  r.samples.map((s) => s.nakedMs),
  '#c00',
)}
${chart(
  'open positions',
  xs,
  r.samples.map((s) => s.openPositions),
  '#06c',
)}
${chart(
  'engine up (1) / down (0)',
  xs,
  r.samples.map((s) => (s.engineUp ? 1 : 0)),
  '#090',
)}
${chart('requests per sample', xs, requestRate, '#960')}
</body></html>
`;
}
