import { parentPort } from 'node:worker_threads';
import type { PositionInput } from '../machines/positionContext.ts';
import { ReplayDriver } from './replayDriver.ts';
import type { ReplayResult } from './replayScenario.ts';
import { unpackTicks, type TickPack } from './tickPack.ts';

/** A replay job as the pool sends it. */
export interface WorkerJob {
  readonly id: number;
  readonly input: PositionInput;
  readonly ticks: TickPack;
  readonly deliveries: number;
}

/** A finished job, or the message of the error it failed with. */
export type WorkerAnswer =
  | { readonly id: number; readonly result: Omit<ReplayResult, 'context'> }
  | { readonly id: number; readonly error: string };

/** Returns the result of one job: the same replay `replayScenario` runs, in deliveries. */
export function runJob(job: WorkerJob): Omit<ReplayResult, 'context'> {
  const events: ReplayResult['events'] = [];
  const driver = new ReplayDriver(
    { input: job.input },
    { onEvent: (event) => events.push(event), deliveries: job.deliveries },
  );
  driver.sendAll(unpackTicks(job.ticks));
  const { summary } = driver.finish();
  return { events, summary, ticksProcessed: driver.ticksSent };
}

parentPort?.on('message', (job: WorkerJob) => {
  let answer: WorkerAnswer;
  try {
    answer = { id: job.id, result: runJob(job) };
  } catch (error) {
    answer = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
