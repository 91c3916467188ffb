import { createPositionContext, type PositionContext } from '../src/machines/positionContext.ts';
import { stepPosition } from '../src/domain/stepPosition.ts';
import { floatTrailingStop } from './floatBaseline.ts';
import { BENCH_MARKET, BENCH_POLICY, BENCH_POSITION, type BenchPath } from './path.ts';
import { nowMs, progress, rate } from './timing.ts';

/** Stage 1's result: the exact rules against the float baseline over the same path. */
export interface RulesResult {
  readonly ticks: number;
  readonly ticksPerSecond: number;
  readonly baselineTicksPerSecond: number;
  /** baseline ÷ rules: how many times slower the exact rules are than the float loop. */
  readonly ratio: number;
}

/** Returns the median of `values` (not empty). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Keeps results observable so the JIT cannot drop the loops being timed. */
export let sink = 0;

/**
 * Runs the position step of src/domain (`stepPosition`, what the machine's guards evaluate)
 * over `ticks` with no statechart around it: each outcome's changes are written into one
 * state object and its momentum verdict kept as the pace — all the statechart adds to the
 * arithmetic, without its copies of the context.
 * Returns how many outcomes changed something, and whether the position exited.
 */
export function runRules(
  path: BenchPath,
  from: number,
  to: number,
): { moves: number; exited: boolean } {
  const state: { -readonly [K in keyof PositionContext]: PositionContext[K] } =
    createPositionContext({
      market: BENCH_MARKET,
      position: BENCH_POSITION,
      policy: BENCH_POLICY,
    });
  let accelerated = false;
  let moves = 0;
  for (let i = from; i < to; i++) {
    const tick = path.ticks[i] as (typeof path.ticks)[0];
    const step = stepPosition(
      state,
      { type: 'PRICE', ts: tick.ts, price: tick.price },
      accelerated,
    );
    if (step.kind === 'exits' || step.exits) return { moves, exited: true };
    if (step.momentum !== undefined) accelerated = step.momentum === 'accelerated';
    if (step.moved !== undefined || step.changesState) moves++;
    Object.assign(state, step.changes);
  }
  return { moves, exited: false };
}

/**
 * Runs stage 1: the exact step over every tick of `path`, then the float baseline over the
 * same prices. The baseline takes a few milliseconds, so it runs 21 times; the rules run 5
 * times after a short warm-up; each reports its median.
 */
export function runRulesStage(path: BenchPath): RulesResult {
  const n = path.ticks.length;
  progress(`rules: warm-up`);
  runRules(path, 0, Math.min(n, 20_000));

  progress(`rules: ${n} ticks through the exact step`);
  // Five runs, the median kept: other load on a shared machine comes and goes.
  const timed: { ms: number; moves: number; exited: boolean }[] = [];
  for (let r = 0; r < 5; r++) {
    const started = nowMs();
    const run = runRules(path, 0, n);
    timed.push({ ...run, ms: nowMs() - started });
  }
  const { moves, exited, ms: rulesMs } = timed.sort((a, b) => a.ms - b.ms)[2] as (typeof timed)[0];
  if (exited) throw new Error('bench path exited early in the rules stage: widen the policy');
  sink += moves;

  const initial = 95; // the bench policy's 5 % initial stop under entry 100
  const runs: number[] = [];
  for (let r = 0; r < 21; r++) {
    const t0 = nowMs();
    sink += floatTrailingStop(path.cents, initial, 0.03);
    runs.push(nowMs() - t0);
  }
  const baselineMs = median(runs);
  const ticksPerSecond = rate(n, rulesMs);
  const baselineTicksPerSecond = rate(n, baselineMs);
  return {
    ticks: n,
    ticksPerSecond,
    baselineTicksPerSecond,
    ratio: ticksPerSecond > 0 ? baselineTicksPerSecond / ticksPerSecond : 0,
  };
}
