import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PositionsResponse } from '../../src/inspector/protocol.ts';
import { parsePaperLine, PaperRun, type PaperLine } from './paperProcess.ts';

// The feed is seeded (examples/paper.yaml: seed 8), so what the first minute brings is fixed:
// the plain-trailing BTCUSDT long trails 1.5 % under its first price, 1.5 % above its 3 %
// initial stop, so its resting stop moves on the exchange as soon as prices flow.
const DATA_DIR = mkdtempSync(join(tmpdir(), 'ratchet-paper-e2e-'));
const ARGS = ['--data-dir', DATA_DIR, '--port', '0'];
console.log(`paper run data directory ${DATA_DIR} (feed seed 8, from examples/paper.yaml)`);

const runs: PaperRun[] = [];
afterAll(() => {
  for (const run of runs) run.kill();
});

function start(): PaperRun {
  const run = new PaperRun(ARGS);
  runs.push(run);
  return run;
}

const INSPECTOR = /^\s+inspector\s+(http:\/\/\S+)/;
const EXCHANGE = /^\s+exchange\s+(http:\/\/\S+)/;

/** Returns the position lines with `verb`, by position id. */
function linesOf(run: PaperRun, verb: string): Map<string, PaperLine> {
  const out = new Map<string, PaperLine>();
  for (const line of run.lines) {
    const parsed = parsePaperLine(line);
    if (parsed?.verb === verb && parsed.fields['id'] !== undefined)
      out.set(parsed.fields['id'], parsed);
  }
  return out;
}

let kept: Map<string, PaperLine>;

describe('npm start: a paper run', () => {
  it('prints the inspector, protects the paper positions, moves a stop on the exchange and stops on SIGINT', async () => {
    const run = start();
    const url = await run.wait((l) => INSPECTOR.test(l), 'the inspector URL');
    console.log(`npm start → inspector URL printed after ${(url.ms / 1000).toFixed(1)} s`);
    expect(url.ms).toBeLessThan(30_000);
    const inspector = INSPECTOR.exec(url.line)?.[1] ?? '';
    const exchange = EXCHANGE.exec(run.lines.find((l) => EXCHANGE.test(l)) ?? '')?.[1] ?? '';

    await run.wait((l) => l.startsWith('protecting 3 position(s)'), 'the engine to start');
    const listed = (await (
      await fetch(new URL('/api/positions', inspector))
    ).json()) as PositionsResponse;
    expect(listed.positions.map((p) => [p.symbol, p.side]).sort()).toEqual([
      ['BTCUSDT', 'long'],
      ['ETHUSDT', 'short'],
      ['SOLUSDT', 'long'],
    ]);
    for (const p of listed.positions) {
      expect(p.id).toMatch(new RegExp(`^binanceusdm:${p.symbol}:${p.side}:\\d+$`));
      expect(typeof p.state).toBe('string');
      expect(Number(p.desiredStop)).toBeGreaterThan(0);
      expect(p.restingStop === null || Number(p.restingStop) > 0).toBe(true);
      expect(p.unprotectedMs).toBeGreaterThanOrEqual(0);
    }

    // A resting stop has moved: a status line shows another one than the position's first.
    const first = new Map<string, string>();
    const moved = await run.wait((l) => {
      const s = parsePaperLine(l);
      const id = s?.fields['id'];
      const resting = s?.fields['resting'];
      if (s?.verb !== 'status' || id === undefined || resting === undefined || resting === 'none')
        return false;
      if (!first.has(id)) first.set(id, resting);
      return first.get(id) !== resting;
    }, 'a resting stop to move');
    const firstResting = run.lines.findIndex((l) => {
      const resting = parsePaperLine(l)?.fields['resting'];
      return resting !== undefined && resting !== 'none';
    });
    console.log(
      `npm start → first resting stop after ${((run.at[firstResting] ?? 0) / 1000).toFixed(1)} s, first move after ${(moved.ms / 1000).toFixed(1)} s`,
    );
    expect(moved.ms).toBeLessThan(60_000);
    const move = parsePaperLine(moved.line) as PaperLine;
    const before = first.get(move.fields['id'] ?? '') ?? '';
    // On the exchange itself: the old stop no longer rests, a tighter one does.
    const state = (await (await fetch(new URL('/admin/state', exchange))).json()) as {
      openOrders: { symbol: string; triggerPrice: string; clientAlgoId: string }[];
    };
    const resting = state.openOrders.filter((o) => o.symbol === move.symbol);
    expect(resting.length).toBeGreaterThan(0);
    expect(resting.map((o) => Number(o.triggerPrice))).not.toContain(Number(before));
    for (const o of resting) {
      if (move.side === 'long') expect(Number(o.triggerPrice)).toBeGreaterThan(Number(before));
      else expect(Number(o.triggerPrice)).toBeLessThan(Number(before));
      expect(o.clientAlgoId.startsWith('paper-')).toBe(true);
    }

    const interrupted = performance.now();
    const exit = await run.interrupt();
    const stopMs = performance.now() - interrupted;
    console.log(`SIGINT → exit ${exit.code} after ${(stopMs / 1000).toFixed(1)} s`);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(5000);
    expect(run.lines.some((l) => l.startsWith('ratchet paper: stopped;'))).toBe(true);
    kept = linesOf(run, 'kept');
    expect(kept.size).toBeGreaterThan(0);
  }, 180_000);

  it('resumes the same positions with the same stops on the next start', async () => {
    const run = start();
    await run.wait((l) => l.startsWith('protecting '), 'the engine to resume');
    const resumed = linesOf(run, 'resumed');
    const restingAtStop = [...kept.values()].filter((k) => k.fields['state'] === 'resting');
    expect(restingAtStop.length).toBeGreaterThan(0);
    for (const k of restingAtStop) {
      const id = k.fields['id'] ?? '';
      expect(resumed.get(id)?.fields, id).toMatchObject({
        resting: k.fields['resting'],
        desired: k.fields['desired'],
      });
    }
    const inspector = INSPECTOR.exec(run.lines.find((l) => INSPECTOR.test(l)) ?? '')?.[1] ?? '';
    const listed = (await (
      await fetch(new URL('/api/positions', inspector))
    ).json()) as PositionsResponse;
    expect(listed.positions.map((p) => p.id)).toEqual(
      expect.arrayContaining(restingAtStop.map((k) => k.fields['id'])),
    );
    expect(run.lines.some((l) => l.includes('(resumed;'))).toBe(true);
    const exit = await run.interrupt();
    expect(exit).toEqual({ code: 0, signal: null });
  }, 180_000);
});
