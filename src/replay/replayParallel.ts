import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../domain/types.ts';
import type { ReplayResult } from './replayScenario.ts';
import type { WorkerAnswer, WorkerJob } from './replayWorker.ts';
import { packTicks } from './tickPack.ts';

/** How a batch of independent replays is spread over threads. */
export interface ParallelReplayOptions {
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  /** Ticks per PRICES delivery in each replay (default 1024; see ReplayHooks.deliveries). */
  readonly deliveries?: number;
}

/** What a replay in a worker returns: the events, the summary and the ticks it took. */
export type ParallelReplayResult = Omit<ReplayResult, 'context'>;

const ENTRY = new URL('./replayWorkerEntry.mjs', import.meta.url);

/**
 * Returns the result of replaying each scenario, in the order given, each one in a worker
 * thread of a pool (scenarios are independent: a backtest sweep, a set of positions). Each
 * worker takes the next scenario when it is done with one, so at most one scenario per worker
 * is in flight beside the caller's own. Rejects when a replay fails, naming the scenario.
 */
export async function replayParallel(
  scenarios: readonly Scenario[],
  options: ParallelReplayOptions = {},
): Promise<ParallelReplayResult[]> {
  const results = new Array<ParallelReplayResult>(scenarios.length);
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), scenarios.length));
  const deliveries = options.deliveries ?? 1024;
  const workers: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const dispatch = (worker: Worker): void => {
        if (next >= scenarios.length) {
          if (running === 0) resolve();
          return;
        }
        const id = next++;
        const scenario = scenarios[id] as Scenario;
        const ticks = packTicks(scenario.ticks);
        const job: WorkerJob = {
          id,
          input: { market: scenario.market, position: scenario.position, policy: scenario.policy },
          ticks,
          deliveries,
        };
        running++;
        worker.postMessage(job, [ticks.ts.buffer as ArrayBuffer]);
      };
      for (let i = 0; i < count && scenarios.length > 0; i++) {
        const worker = new Worker(ENTRY);
        workers.push(worker);
        worker.on('error', reject);
        worker.on('message', (answer: WorkerAnswer) => {
          running--;
          if ('error' in answer) {
            reject(new Error(`scenario ${answer.id} failed in its replay worker: ${answer.error}`));
            return;
          }
          results[answer.id] = answer.result;
          dispatch(worker);
        });
        dispatch(worker);
      }
      if (scenarios.length === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
