import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExposition, type Sample } from '../../bench/promText.ts';
import { PaperRun, ROOT } from './paperProcess.ts';

// examples/paper.yaml (feed seed 8) plus a metrics block on a free port: the same seeded run
// as tests/e2e/paper.test.ts, whose BTCUSDT stop moves on the exchange in its first minute.
const DIR = mkdtempSync(join(tmpdir(), 'ratchet-paper-metrics-'));
const CONFIG = join(DIR, 'paper-metrics.yaml');
writeFileSync(
  CONFIG,
  `${readFileSync(join(ROOT, 'examples/paper.yaml'), 'utf8')}\nmetrics: { port: 0 }\n`,
);
console.log(`paper run with metrics: config ${CONFIG}, data in ${DIR}/data (feed seed 8)`);

const runs: PaperRun[] = [];
afterAll(() => {
  for (const run of runs) run.kill();
});

const METRICS = /^\s+metrics\s+(http:\/\/\S+)/;

function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseExposition(await res.text());
}

describe('ratchet paper with a metrics block', () => {
  it('serves /metrics whose counters follow the run, and stops serving when it stops', async () => {
    const run = new PaperRun([
      '--config',
      CONFIG,
      '--data-dir',
      join(DIR, 'data'),
      '--port',
      '0',
      '--fresh',
    ]);
    runs.push(run);
    await run.wait((l) => l.startsWith('protecting 3 position(s)'), 'the engine to start');
    // The metrics line comes before the engine starts, beside the inspector's.
    const at = run.lines.findIndex((l) => METRICS.test(l));
    expect(at, run.tail()).toBeGreaterThan(0);
    expect(run.lines[at - 1]).toMatch(/^\s+inspector\s+http:/);
    const url = METRICS.exec(run.lines[at] ?? '')?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const first = await scrape(url);
    expect(first.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
    const movesAtStart = total(first, 'ratchet_stop_moves_total');

    // Each status line is a change on the exchange side; scrape after each until the engine
    // has moved a stop and counts all three positions protected.
    let from = run.lines.length;
    let samples = first;
    while (
      total(samples, 'ratchet_stop_moves_total') <= movesAtStart ||
      total(samples, 'ratchet_positions', { state: 'protected' }) !== 3
    ) {
      await run.wait((l) => l.startsWith('status '), 'a status line', from);
      from = run.lines.length;
      samples = await scrape(url);
    }
    console.log(
      `stop moves ${movesAtStart} → ${total(samples, 'ratchet_stop_moves_total')}, requests ${total(samples, 'ratchet_exchange_requests_total')}, decisions ${total(samples, 'ratchet_decision_seconds_count')}`,
    );
    expect(total(samples, 'ratchet_exchange_requests_total', { class: 'ok' })).toBeGreaterThan(0);
    expect(total(samples, 'ratchet_decision_seconds_count')).toBeGreaterThan(0);
    expect(total(samples, 'ratchet_order_ack_seconds_bucket', { le: '+Inf' })).toBe(
      total(samples, 'ratchet_order_ack_seconds_count'),
    );

    const exit = await run.interrupt();
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(fetch(url)).rejects.toThrow();
  }, 180_000);

  it('without a metrics block prints no metrics line', async () => {
    const run = new PaperRun(['--data-dir', join(DIR, 'plain'), '--port', '0', '--fresh']);
    runs.push(run);
    await run.wait((l) => l.startsWith('protecting '), 'the engine to start');
    expect(run.lines.some((l) => METRICS.test(l))).toBe(false);
    expect(await run.interrupt()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
