import { availableParallelism } from 'node:os';
import { replayParallel } from '../src/replay/replayParallel.ts';
import { benchScenario, generatePath, SEED } from './path.ts';
import { nowMs, progress, rate } from './timing.ts';

/** Many independent replays spread over worker threads, against the same pool with one thread. */
export interface ParallelReplayResult {
  readonly scenarios: number;
  readonly ticks: number;
  readonly workers: number;
  /** Ticks per second over all scenarios with one worker per core. */
  readonly parallelTicksPerSecond: number;
  /** The same scenarios through a pool of one worker: one core, with the same overheads. */
  readonly oneWorkerTicksPerSecond: number;
}

/**
 * Measures `scenarios` replays of `ticksEach` ticks (each its own seeded path) through
 * `replayParallel` with one worker per core, then with one worker; both include starting the
 * workers and moving the ticks to them. Throws if a replay exits early or the two runs differ.
 */
export async function runParallelReplay(
  scenarios: number,
  ticksEach: number,
): Promise<ParallelReplayResult> {
  const all = Array.from({ length: scenarios }, (_, i) =>
    benchScenario(generatePath(ticksEach, SEED + i).ticks),
  );
  const ticks = scenarios * ticksEach;
  const workers = Math.max(2, availableParallelism());
  progress(`replay: ${scenarios} scenarios × ${ticksEach} ticks over ${workers} worker threads`);
  const t0 = nowMs();
  const spread = await replayParallel(all, { workers });
  const parallelMs = nowMs() - t0;
  progress(`replay: the same scenarios through one worker thread (baseline)`);
  const t1 = nowMs();
  const single = await replayParallel(all, { workers: 1 });
  const singleMs = nowMs() - t1;
  spread.forEach((r, i) => {
    if (r.summary.exited) throw new Error(`bench scenario ${i} exited early: widen the policy`);
    if (JSON.stringify(r.events) !== JSON.stringify(single[i]?.events))
      throw new Error(`scenario ${i} replayed differently in the pool of one`);
  });
  return {
    scenarios,
    ticks,
    workers,
    parallelTicksPerSecond: rate(ticks, parallelMs),
    oneWorkerTicksPerSecond: rate(ticks, singleMs),
  };
}
