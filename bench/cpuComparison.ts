import { createActor } from 'xstate';
import { positionMachine } from '../src/machines/positionMachine.ts';
import { startActors } from './actorsStage.ts';
import {
  BENCH_MARKET,
  BENCH_POLICY,
  BENCH_POSITION,
  generatePath,
  generateWorstPath,
  type BenchPath,
} from './path.ts';
import { collectGarbage } from './timing.ts';
import { skeletonMachine, skeletonTicksPerSecond } from './xstateSkeleton.ts';

/**
 * The same-method comparison of docs/performance.md, in CPU time (`process.cpuUsage`), which
 * other load on a shared machine disturbs far less than wall time; each figure is the median of
 * five runs. Prints one JSON line:
 *
 *   node --expose-gc --import tsx bench/cpuComparison.ts
 */

const TICKS = 30_000;
const ACTORS = 10_000;
const ACROSS = 200_000;

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const median = (measure: () => number): number => {
  const runs = [measure(), measure(), measure(), measure(), measure()].sort((a, b) => a - b);
  return Math.round(runs[2] as number);
};

/** Returns PRICE events per CPU-second of one actor sent every tick of `path`. */
function oneActor(path: BenchPath): number {
  const input = { market: BENCH_MARKET, position: BENCH_POSITION, policy: BENCH_POLICY };
  const actor = createActor(positionMachine, { input });
  actor.on('*', () => undefined);
  actor.start();
  const started = cpuMs();
  for (const tick of path.ticks) actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
  const rate = (path.ticks.length / (cpuMs() - started)) * 1000;
  actor.stop();
  return rate;
}

/** Returns the CPU milliseconds `create` takes to make and start ACTORS actors. */
function creation(create: () => { stop: () => void }): number {
  collectGarbage();
  const started = cpuMs();
  const actors = Array.from({ length: ACTORS }, create);
  const ms = cpuMs() - started;
  actors.forEach((a) => a.stop());
  return ms;
}

const realisticPath = generatePath(TICKS);
const worstPath = generateWorstPath(TICKS);
const acrossPath = generatePath(ACROSS);
oneActor(realisticPath);
oneActor(worstPath);
startActors(50).forEach((a) => a.stop());
const realistic = median(() => oneActor(realisticPath));
const worst = median(() => oneActor(worstPath));
const skeleton = median(() => skeletonTicksPerSecond(TICKS, cpuMs));
const createMs = median(() => creation(() => startActors(1)[0] as { stop: () => void }));
const skeletonCreateMs = median(() => creation(() => createActor(skeletonMachine).start()));
const across = median(() => {
  const actors = startActors(ACTORS);
  const started = cpuMs();
  for (let i = 0; i < ACROSS; i++) {
    const tick = acrossPath.ticks[i] as (typeof acrossPath.ticks)[0];
    actors[i % ACTORS]?.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
  }
  const rate = (ACROSS / (cpuMs() - started)) * 1000;
  actors.forEach((a) => a.stop());
  return rate;
});
console.log(JSON.stringify({ realistic, worst, skeleton, createMs, skeletonCreateMs, across }));
