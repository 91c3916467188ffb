import { cpus } from 'node:os';
import type { Actor } from 'xstate';
import type { PositionMachine } from '../src/machines/positionMachine.ts';
import { runActorsStage, startActors } from './actorsStage.ts';
import { runMachineStage } from './machineStage.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { generatePath } from './path.ts';
import { runPersistenceStage } from './persistenceStage.ts';
import { benchJson, benchTable, type BenchResults } from './report.ts';
import { runReplayStage } from './replayStage.ts';
import { runRulesStage } from './rulesStage.ts';
import { progress } from './timing.ts';

/** Returns the CPU as people name it: model and core count. */
function cpuName(): string {
  const all = cpus();
  return `${all[0]?.model.trim() ?? 'unknown CPU'} × ${all.length}`;
}

/** Runs the stages `options` selects, in order, and returns what they measured. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const longest = Math.max(options.rulesTicks, options.machineTicks, options.actorTicks);
  progress(`generating a ${longest}-tick path`);
  const path = generatePath(longest);
  const slice = (n: number) => ({
    ticks: path.ticks.slice(0, n),
    cents: path.cents.subarray(0, n),
  });
  const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {
    node: process.version,
    cpu: cpuName(),
    quick: options.quick,
  };
  const run = options.only;
  if (run.has('rules')) results.rules = runRulesStage(slice(options.rulesTicks));
  if (run.has('machine')) results.machine = runMachineStage(slice(options.machineTicks));
  let actors: Actor<PositionMachine>[] | undefined;
  if (run.has('actors')) {
    const stage = runActorsStage(path, options.actors, options.actorTicks);
    results.actors = stage.result;
    actors = stage.actors;
  }
  if (run.has('persistence')) {
    actors ??= startActors(options.actors);
    results.persistence = await runPersistenceStage(actors);
  }
  actors?.forEach((a) => a.stop());
  actors = undefined;
  if (run.has('replay')) {
    const replayPath =
      options.replayTicks <= longest
        ? slice(options.replayTicks)
        : generatePath(options.replayTicks);
    // Enough ticks per worker that starting a worker (≈0.3 s: its own loader and JIT) is a
    // small part of its time.
    results.replay = await runReplayStage(replayPath, {
      scenarios: options.quick ? 4 : 16,
      ticksEach: Math.max(1, Math.floor(options.replayTicks / 4)),
    });
  }
  return results;
}

/**
 * Runs `npm run bench` with `argv` and returns the exit code: the table (or, with --json, one
 * JSON document) on stdout, progress and errors on stderr.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const results = await runBench(options);
  process.stdout.write(
    options.json ? `${JSON.stringify(benchJson(results), null, 2)}\n` : `${benchTable(results)}\n`,
  );
  return 0;
}
