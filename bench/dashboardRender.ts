/**
 * Regenerates docs/grafana-panels.svg, the README's picture of the Grafana dashboard: a fresh
 * paper run (examples/paper.yaml plus `metrics: { port: 0 }`, its seeded feed at --speed) is
 * scraped every --interval seconds for --seconds, then every panel of
 * docs/grafana-dashboard.json is drawn from its own queries, evaluated over those scrapes by
 * bench/promqlSubset.ts (no Prometheus, no Grafana: rate/increase without Prometheus'
 * extrapolation, see there). A query outside that subset, or a panel type it cannot draw, ends
 * the script with an error rather than an empty panel.
 *
 *   npx tsx bench/dashboardRender.ts [--seconds 240] [--interval 2] [--speed 4]
 *                                    [--out docs/grafana-panels.svg]
 *
 * Progress goes to stderr; Ctrl-C ends the script and the paper run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PaperRun, ROOT } from '../tests/e2e/paperProcess.ts';
import { evaluatePanels, renderDashboardSvg, type Dashboard } from './dashboardSvg.ts';
import { parseExposition, type Sample } from './promText.ts';
import { SeriesStore, type Scrape } from './promqlSubset.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '240' },
    interval: { type: 'string', default: '2' },
    speed: { type: 'string', default: '4' },
    out: { type: 'string', default: join(ROOT, 'docs/grafana-panels.svg') },
    dashboard: { type: 'string', default: join(ROOT, 'docs/grafana-dashboard.json') },
  },
});
const SECONDS = Number(values.seconds);
const INTERVAL = Number(values.interval);
const OUT = resolve(values.out);
if (!(SECONDS >= 10) || !(INTERVAL > 0) || INTERVAL * 5 > SECONDS) {
  console.error(
    'dashboardRender: --seconds is at least 10 and --interval a positive number of seconds with at least 5 scrapes in --seconds, e.g. --seconds 240 --interval 2.',
  );
  process.exit(2);
}

const dashboard = JSON.parse(readFileSync(values.dashboard, 'utf8')) as Dashboard;
const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'ratchet-dashboard-'));
const config = join(dir, 'paper-metrics.yaml');
writeFileSync(
  config,
  `${readFileSync(join(ROOT, 'examples/paper.yaml'), 'utf8')}\nmetrics: { port: 0 }\n`,
);
const run = new PaperRun([
  '--config',
  config,
  '--data-dir',
  join(dir, 'data'),
  '--port',
  '0',
  '--speed',
  values.speed,
  '--fresh',
]);
process.once('SIGINT', () => {
  run.kill();
  process.exit(130);
});

function total(samples: readonly Sample[], name: string): number {
  return samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
}

const scrapes: Scrape[] = [];
try {
  await run.wait((l) => l.startsWith('protecting '), 'the engine to start');
  const url = /^\s+metrics\s+(http:\/\/\S+)/.exec(
    run.lines.find((l) => /^\s+metrics\s+http/.test(l)) ?? '',
  )?.[1];
  if (url === undefined) throw new Error(`no metrics URL in:\n${run.tail()}`);
  console.error(`paper run at speed ${values.speed}: ${url} (data in ${dir})`);
  const first = Date.now();
  const count = Math.floor(SECONDS / INTERVAL) + 1;
  for (let n = 0; n < count; n++) {
    // Scrapes on a fixed schedule from the first, so a slow scrape does not shift the rest.
    const due = first + n * INTERVAL * 1000;
    if (due > Date.now()) await new Promise((done) => setTimeout(done, due - Date.now()));
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    const samples = parseExposition(await res.text());
    scrapes.push({ t: Date.now() / 1000, samples });
    const line = `scrape ${n + 1}/${count}, ${Math.round((Date.now() - first) / 1000)}/${SECONDS} s: stop moves ${total(samples, 'ratchet_stop_moves_total')}, exits ${total(samples, 'ratchet_exits_total')}, exchange requests ${total(samples, 'ratchet_exchange_requests_total')}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
    else if (n % 10 === 0 || n === count - 1) console.error(line);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const exit = await run.interrupt();
  if (exit.code !== 0)
    throw new Error(`the paper run ended with ${JSON.stringify(exit)}:\n${run.tail()}`);
} catch (error) {
  run.kill();
  throw error;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const store = new SeriesStore();
for (const scrape of scrapes) store.add(scrape);
const times = scrapes.map((s) => s.t);
const panels = evaluatePanels(dashboard, store, times);
const span = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
const length = span >= 120 ? `${Math.round(span / 60)}-minute` : `${Math.round(span)}-second`;
const day = new Date((times[0] ?? 0) * 1000).toISOString().slice(0, 10);
const clock = (t: number | undefined) => new Date((t ?? 0) * 1000).toISOString().slice(11, 16);
const svg = renderDashboardSvg(
  panels,
  times,
  `${dashboard.title} — ${relative(ROOT, values.dashboard)}, drawn without Grafana`,
  `Its queries evaluated over ${scrapes.length} scrapes (every ${INTERVAL} s) of /metrics of a ${length} \`ratchet paper\` run (examples/paper.yaml, speed ${values.speed}), ${day} ${clock(times[0])}–${clock(times[times.length - 1])} UTC, by bench/dashboardRender.ts.\nrate() and increase() are evaluated without Prometheus' extrapolation to the window's edges; a 5 m window over a shorter run averages from the run's start.`,
);
writeFileSync(OUT, svg);
for (const e of panels.filter((p) => p.panel.type !== 'row'))
  console.error(
    `  ${e.panel.title}: ${e.series.length === 0 ? 'no data' : e.series.map((s) => s.name).join(', ')}`,
  );
console.error(
  `wrote ${relative(ROOT, OUT)} (${Math.round(svg.length / 1024)} KiB) from ${scrapes.length} scrapes in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
