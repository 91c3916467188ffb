import { createActor, type Actor } from 'xstate';
import { positionMachine, type PositionMachine } from '../src/machines/positionMachine.ts';
import { BENCH_MARKET, BENCH_POLICY, BENCH_POSITION, type BenchPath } from './path.ts';
import { canCollectGarbage, collectGarbage, nowMs, progress, rate } from './timing.ts';
import { skeletonMachine } from './xstateSkeleton.ts';

/** Stage 3's result: many positions at once. */
export interface ActorsResult {
  readonly actors: number;
  readonly ticks: number;
  readonly createMs: number;
  /** Heap growth per created and started actor, measured between two full collections. */
  readonly bytesPerActor: number;
  /** The same measure for actors of the XState skeleton with the statechart's shape (the floor). */
  readonly skeletonBytesPerActor: number;
  /** Creating and starting as many XState skeleton actors (the floor of `createMs`). */
  readonly skeletonCreateMs: number;
  readonly ticksPerSecond: number;
}

function skeletonActors(count: number): { bytes: number; createMs: number } {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const started = nowMs();
  const actors = Array.from({ length: count }, () => createActor(skeletonMachine).start());
  const createMs = nowMs() - started;
  collectGarbage();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  actors.forEach((a) => a.stop());
  return { bytes, createMs };
}

/**
 * Returns `count` started position actors, each with its own id and position object (as a
 * supervisor would create them) sharing one market and policy (as positions of one account
 * share a policy file).
 */
export function startActors(count: number): Actor<PositionMachine>[] {
  const actors: Actor<PositionMachine>[] = new Array<Actor<PositionMachine>>(count);
  for (let i = 0; i < count; i++) {
    actors[i] = createActor(positionMachine, {
      input: {
        id: `p${i}`,
        market: BENCH_MARKET,
        position: { ...BENCH_POSITION },
        policy: BENCH_POLICY,
      },
    }).start();
  }
  return actors;
}

/**
 * Runs stage 3: creates and starts `count` actors (timed, with the heap measured around
 * it), then sends `ticks` PRICE events of `path` round-robin, tick i to actor i mod count.
 * Returns the actors too, so stage 4 can persist their snapshots.
 */
export function runActorsStage(
  path: BenchPath,
  count: number,
  ticks: number,
): { result: ActorsResult; actors: Actor<PositionMachine>[] } {
  if (!canCollectGarbage())
    progress('actors: global.gc is missing; bytes per actor is approximate');
  // Warm the machines' code paths so creation time is not mostly compilation.
  startActors(50).forEach((a) => a.stop());
  skeletonActors(50);
  progress(`actors: creating and starting ${count} XState skeleton actors (baseline)`);
  const skeleton = skeletonActors(count);
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  progress(`actors: creating and starting ${count} actors`);
  const started = nowMs();
  const actors = startActors(count);
  const createMs = nowMs() - started;
  collectGarbage();
  const bytesPerActor = (process.memoryUsage().heapUsed - before) / count;

  const n = Math.min(ticks, path.ticks.length);
  progress(`actors: ${n} PRICE events round-robin over ${count} actors`);
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const tick = path.ticks[i] as (typeof path.ticks)[0];
    (actors[i % count] as Actor<PositionMachine>).send({
      type: 'PRICE',
      ts: tick.ts,
      price: tick.price,
    });
    if ((i + 1) % 50_000 === 0) progress(`actors: ${i + 1}/${n}`);
  }
  const ms = nowMs() - t0;
  const exited = actors.filter((a) => a.getSnapshot().status !== 'active').length;
  if (exited > 0) throw new Error(`${exited} bench actors exited early: widen the policy`);
  return {
    result: {
      actors: count,
      ticks: n,
      createMs,
      bytesPerActor,
      skeletonBytesPerActor: skeleton.bytes,
      skeletonCreateMs: skeleton.createMs,
      ticksPerSecond: rate(n, ms),
    },
    actors,
  };
}
