import { BENCH_MARKET, BENCH_POLICY, BENCH_POSITION, type BenchPath } from './path.ts';
import { RulesStepper, floatTrailingStop } from './rulesStep.ts';
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
 * Runs stage 1: the pure stop computation ({@link RulesStepper}) over every tick of `path`,
 * then the float baseline over the same prices. The baseline takes a few milliseconds, so it
 * runs many times and reports its median; the rules run once after a short warm-up.
 */
export function runRulesStage(path: BenchPath): RulesResult {
  const n = path.ticks.length;
  progress(`rules: warm-up`);
  const warm = new RulesStepper(BENCH_MARKET, BENCH_POSITION, BENCH_POLICY);
  for (let i = 0; i < Math.min(n, 20_000); i++) warm.step(path.ticks[i] as (typeof path.ticks)[0]);

  progress(`rules: ${n} ticks through the exact rules`);
  const stepper = new RulesStepper(BENCH_MARKET, BENCH_POSITION, BENCH_POLICY);
  const started = nowMs();
  for (let i = 0; i < n; i++) {
    stepper.step(path.ticks[i] as (typeof path.ticks)[0]);
    if ((i + 1) % 250_000 === 0) progress(`rules: ${i + 1}/${n}`);
  }
  const rulesMs = nowMs() - started;
  if (stepper.exited)
    throw new Error('bench path exited early in the rules stage: widen the policy');
  sink += stepper.events;

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
