/**
 * Measures what persistence costs: per replay step (coalesced batches and one batch per step),
 * restoring one position, and persisting / restoring 10 000 positions.
 * Run: `npx tsx bench/persistence.ts` (prints JSON, then a table on stderr).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, type Actor } from 'xstate';
import type { CheckpointSink } from '../src/store/checkpoint.ts';
import { replayPersisted } from '../src/replay/replayPersisted.ts';
import { replayScenario } from '../src/replay/replayScenario.ts';
import { restorePosition } from '../src/store/restorePosition.ts';
import type { Policy, Scenario, Tick } from '../src/domain/types.ts';
import { positionMachine, type PositionMachine } from '../src/machines/positionMachine.ts';
import { openPositionStore } from '../src/store/positionStore.ts';

/** What to measure; the defaults are the figures docs/persistence.md reports. */
export interface PersistenceBenchOptions {
  /** Ticks of the replay measured per step. */
  readonly ticks?: number;
  /** Positions persisted and restored at once. */
  readonly positions?: number;
  /** Ticks sent to each of those positions before persisting (fills windows and extremes). */
  readonly ticksPerPosition?: number;
  /** Rounds of the per-step replays; the best of each is kept. */
  readonly rounds?: number;
}

/** The measured costs (milliseconds unless the name says µs). */
export interface PersistenceBenchResult {
  readonly ticks: number;
  readonly events: number;
  /** Replay without persistence. */
  readonly plainMs: number;
  /** Replay persisted with the default coalescing (one batch per 1024 steps). */
  readonly coalescedMs: number;
  /** Replay persisted with one batch per step (maxPendingSteps 1). */
  readonly perStepBatchMs: number;
  /** Time inside commits (serializing + writing) per step with the default coalescing, µs. */
  readonly coalescedCommitUsPerStep: number;
  /** The same when every step is its own batch, µs. */
  readonly perStepBatchCommitUsPerStep: number;
  /** Load one envelope, restore and start its actor, µs (mean over repeated loads). */
  readonly restoreOneUs: number;
  readonly positions: number;
  /** Bytes of the snapshot envelopes of all positions. */
  readonly snapshotBytes: number;
  /** Serialize and commit every position's snapshot in one batch. */
  readonly persistAllMs: number;
  /** Reopen the store, read every envelope, restore and start every actor. */
  readonly restoreAllMs: number;
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function walk(count: number, seed: number, start = 1_000_000): Tick[] {
  const next = random(seed);
  let cents = start;
  return Array.from({ length: count }, (_, i) => {
    cents += Math.round((next() - 0.48) * 400);
    return { ts: (i + 1) * 100, price: (cents / 100).toFixed(2) };
  });
}

const POLICY: Policy = {
  initialStop: { percent: '60' },
  trailing: {
    price: '400',
    momentum: {
      windowSeconds: '0.5',
      thresholdPercent: '0.05',
      releasePercent: '0.01',
      factor: '0.5',
    },
  },
  breakeven: { triggerPercent: '1', offsetPercent: '0.1' },
  elastic: {
    unit: 'percent',
    engageAt: '0.5',
    pullback: '0.4',
    floor: '0',
    minStep: '0.1',
    peakLock: { trigger: '5', lock: '3' },
  },
};

const scenarioOf = (ticks: Tick[]): Scenario => ({
  market: { tickSize: '0.01' },
  position: { side: 'long', entryPrice: '10000', quantity: '1', openedAt: 0 },
  policy: POLICY,
  ticks,
});

const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Runs the measurements in a temporary directory and returns the numbers. */
export async function measurePersistence(
  options: PersistenceBenchOptions = {},
): Promise<PersistenceBenchResult> {
  const ticks = options.ticks ?? 10_000;
  const positions = options.positions ?? 10_000;
  const ticksPerPosition = options.ticksPerPosition ?? 20;
  const root = await mkdtemp(join(tmpdir(), 'ratchet-bench-persistence-'));
  try {
    const scenario = scenarioOf(walk(ticks, 7));
    replayScenario(scenarioOf(walk(2000, 3))); // warm the JIT before timing

    // Alternate the variants and keep each one's best round: a shared machine's noise only adds.
    const rounds = options.rounds ?? 3;
    let plainMs = Infinity;
    let coalescedMs = Infinity;
    let perStepBatchMs = Infinity;
    let coalescedCommitMs = Infinity;
    let perStepCommitMs = Infinity;
    let events = 0;
    const timedPersisted = async (dir: string, maxPendingSteps?: number) => {
      await rm(join(root, dir), { recursive: true, force: true });
      const store = await openPositionStore(join(root, dir));
      let commitMs = 0;
      // Time spent committing: serializing snapshots and journal entries, and the batch itself.
      const sink: CheckpointSink = {
        commit: async (checkpoints) => {
          const started = now();
          await store.commit(checkpoints);
          commitMs += now() - started;
        },
      };
      try {
        const started = now();
        await replayPersisted(scenario, {
          positionId: 'bench',
          source: 'bench',
          sink,
          maxPendingSteps,
        });
        return { totalMs: now() - started, commitMs };
      } finally {
        await store.close();
      }
    };
    for (let round = 0; round < rounds; round++) {
      const t0 = now();
      events = replayScenario(scenario).events.length;
      plainMs = Math.min(plainMs, now() - t0);
      const coalesced = await timedPersisted('coalesced');
      coalescedMs = Math.min(coalescedMs, coalesced.totalMs);
      coalescedCommitMs = Math.min(coalescedCommitMs, coalesced.commitMs);
      const perStep = await timedPersisted('per-step', 1);
      perStepBatchMs = Math.min(perStepBatchMs, perStep.totalMs);
      perStepCommitMs = Math.min(perStepCommitMs, perStep.commitMs);
    }

    const store = await openPositionStore(join(root, 'coalesced'));
    const loads = 500;
    let t = now();
    for (let i = 0; i < loads; i++) {
      const envelope = await store.loadEnvelope('bench');
      if (envelope === undefined) throw new Error('bench envelope missing');
      restorePosition('bench', envelope.snapshot).start().stop();
    }
    const restoreOneUs = ((now() - t) / loads) * 1000;
    await store.close();

    const actors: Actor<PositionMachine>[] = [];
    for (let i = 0; i < positions; i++) {
      const actor = createActor(positionMachine, {
        input: { id: `p${i}`, ...scenarioOf([]) },
      }).start();
      for (const tick of walk(ticksPerPosition, i + 11)) actor.send({ type: 'PRICE', ...tick });
      actors.push(actor);
    }
    const many = await openPositionStore(join(root, 'many'));
    t = now();
    const snapshots = actors.map((actor, i) => ({
      positionId: `p${i}`,
      seq: 1,
      cursor: ticksPerPosition,
      source: 'bench',
      snapshot: actor.getPersistedSnapshot(),
      entries: [],
    }));
    await many.commit(snapshots);
    const persistAllMs = now() - t;
    const snapshotBytes = snapshots.reduce((sum, s) => sum + JSON.stringify(s.snapshot).length, 0);
    await many.close();
    actors.forEach((a) => a.stop());

    t = now();
    const reopened = await openPositionStore(join(root, 'many'));
    const { envelopes } = await reopened.listEnvelopes();
    const restored = envelopes.map((e) => restorePosition(e.positionId, e.snapshot).start());
    const restoreAllMs = now() - t;
    await reopened.close();
    if (restored.length !== positions)
      throw new Error(`restored ${restored.length} of ${positions}`);
    restored.forEach((a) => a.stop());

    const perStep = (ms: number) => (ms / ticks) * 1000;
    return {
      ticks,
      events,
      plainMs,
      coalescedMs,
      perStepBatchMs,
      coalescedCommitUsPerStep: perStep(coalescedCommitMs),
      perStepBatchCommitUsPerStep: perStep(perStepCommitMs),
      restoreOneUs,
      positions,
      snapshotBytes,
      persistAllMs,
      restoreAllMs,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const result = await measurePersistence();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const f = (n: number) => n.toFixed(1);
  process.stderr.write(
    [
      `replay of ${result.ticks} ticks (${result.events} events): plain ${f(result.plainMs)} ms, coalesced ${f(result.coalescedMs)} ms, one batch per step ${f(result.perStepBatchMs)} ms`,
      `time in commits per step: coalesced ${f(result.coalescedCommitUsPerStep)} µs, one batch per step ${f(result.perStepBatchCommitUsPerStep)} µs`,
      `restore one position (load + restore + start): ${f(result.restoreOneUs)} µs`,
      `${result.positions} positions (${(result.snapshotBytes / 1024 / 1024).toFixed(1)} MiB of snapshots): persist all ${f(result.persistAllMs)} ms, reopen + restore all ${f(result.restoreAllMs)} ms`,
      '',
    ].join('\n'),
  );
}
