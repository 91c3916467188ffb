import { createActor } from 'xstate';
import { positionMachine } from '../src/machines/positionMachine.ts';
import {
  BENCH_MARKET,
  BENCH_POLICY,
  BENCH_POSITION,
  generateWorstPath,
  type BenchPath,
} from './path.ts';
import { nowMs, progress, rate } from './timing.ts';
import { skeletonTicksPerSecond as skeletonRate } from './xstateSkeleton.ts';

/** Stage 2's result: one position actor fed the path as PRICE events. */
export interface MachineResult {
  readonly ticks: number;
  readonly ticksPerSecond: number;
  /** The same actor on a path where every tick is a new extreme (every tick moves the stop). */
  readonly worstPathTicksPerSecond: number;
  /** The realistic path sent in PRICES deliveries of {@link DELIVERY} ticks, as replays send it. */
  readonly deliveredTicksPerSecond: number;
  /** The same number of PRICE events through an XState skeleton of the same shape (the ceiling). */
  readonly skeletonTicksPerSecond: number;
  /** SPEC events the actor emitted on the realistic path: proof that the rules engaged. */
  readonly events: Readonly<Record<string, number>>;
}

const input = { market: BENCH_MARKET, position: BENCH_POSITION, policy: BENCH_POLICY };

/** Ticks per PRICES delivery in the delivered run: what `ratchet replay` sends. */
export const DELIVERY = 1024;

/**
 * Returns the rate of one actor sent every tick of `path` — as one PRICE event each, or in
 * PRICES deliveries of `delivery` ticks — synchronously, and the SPEC events it emitted by
 * type. Throws when the position exits before the path ends, since the rate would then
 * measure an idle final state.
 */
function timeActor(
  path: BenchPath,
  label: string,
  delivery = 1,
): { rate: number; events: Record<string, number> } {
  const n = path.ticks.length;
  const events: Record<string, number> = {};
  const actor = createActor(positionMachine, { input });
  actor.on('*', (event) => {
    events[event.type] = (events[event.type] ?? 0) + 1;
  });
  actor.start();
  const deliveries =
    delivery > 1
      ? Array.from({ length: Math.ceil(n / delivery) }, (_, i) =>
          path.ticks.slice(i * delivery, (i + 1) * delivery),
        )
      : [];
  const started = nowMs();
  if (delivery > 1) {
    for (const ticks of deliveries) actor.send({ type: 'PRICES', ticks });
  } else {
    for (let i = 0; i < n; i++) {
      const tick = path.ticks[i] as (typeof path.ticks)[0];
      actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
      if ((i + 1) % 50_000 === 0) progress(`machine (${label}): ${i + 1}/${n}`);
    }
  }
  const ms = nowMs() - started;
  const status = actor.getSnapshot().status;
  actor.stop();
  if (status !== 'active' || (events.exited ?? 0) > 0) {
    throw new Error(`bench ${label} path exited early in the machine stage: widen the policy`);
  }
  return { rate: rate(n, ms), events };
}

/** Runs `measure` three times and returns the run of median rate: other load on a shared machine comes and goes. */
function medianRun<T extends { rate: number }>(measure: () => T): T {
  const runs = [measure(), measure(), measure()].sort((a, b) => a.rate - b.rate);
  return runs[1] as T;
}

/**
 * Runs stage 2 (each measure three times, the median kept): one actor of the position machine on the realistic path, then a fresh one on
 * the worst path (every tick a new extreme), then the XState skeleton as the baseline.
 */
export function runMachineStage(path: BenchPath): MachineResult {
  const n = path.ticks.length;
  progress('machine: warm-up');
  const warm = createActor(positionMachine, { input }).start();
  for (let i = 0; i < Math.min(n, 5_000); i++) {
    const tick = path.ticks[i] as (typeof path.ticks)[0];
    warm.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
  }
  warm.stop();

  progress(`machine: ${n} PRICE events through one actor (realistic path)`);
  const realistic = medianRun(() => timeActor(path, 'realistic'));
  progress(`machine: ${n} PRICE events through one actor (every tick a new extreme)`);
  const worstPath = generateWorstPath(n);
  const worst = medianRun(() => timeActor(worstPath, 'worst'));
  progress(`machine: the realistic path in PRICES deliveries of ${DELIVERY} ticks`);
  const delivered = medianRun(() => timeActor(path, 'delivered', DELIVERY));
  if (JSON.stringify(delivered.events) !== JSON.stringify(realistic.events))
    throw new Error('the delivered run emitted other events than the tick-by-tick run');
  progress(`machine: ${n} PRICE events through the XState skeleton (baseline)`);
  const skeletonTicksPerSecond = medianRun(() => ({ rate: skeletonRate(n, nowMs) })).rate;
  return {
    ticks: n,
    ticksPerSecond: realistic.rate,
    worstPathTicksPerSecond: worst.rate,
    deliveredTicksPerSecond: delivered.rate,
    skeletonTicksPerSecond,
    events: realistic.events,
  };
}
