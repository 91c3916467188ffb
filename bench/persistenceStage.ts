import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import type { Actor } from 'xstate';
import type { PositionCheckpoint } from '../src/store/checkpoint.ts';
import { MACHINE_VERSION } from '../src/machines/machineVersion.ts';
import { restorePosition } from '../src/store/restorePosition.ts';
import type { PositionMachine } from '../src/machines/positionMachine.ts';
import { SCHEMA_VERSION } from '../src/store/envelope.ts';
import { openPositionStore } from '../src/store/positionStore.ts';
import { snapshotKey } from '../src/store/storeKeys.ts';
import { nowMs, progress } from './timing.ts';

/** Stage 4's result: the store next to raw `level` doing the same I/O. */
export interface PersistenceResult {
  readonly positions: number;
  readonly bytes: number;
  readonly persistMs: number;
  readonly rawWriteMs: number;
  readonly restoreMs: number;
  readonly rawReadMs: number;
  /** persistMs ÷ rawWriteMs. */
  readonly persistRatio: number;
  /** restoreMs ÷ rawReadMs. */
  readonly restoreRatio: number;
}

/**
 * Runs stage 4 against src/store: persists every actor's snapshot through
 * `PositionStore.commit` (one batch, as a checkpoint of all positions is), then reopens the
 * store, lists the envelopes and restores each into a started actor. The baseline writes the
 * very same key/value strings with one raw `level` batch into a fresh directory and reads them
 * back with an iterator. Both sides run without fsync (the store's default).
 */
export async function runPersistenceStage(
  actors: readonly Actor<PositionMachine>[],
): Promise<PersistenceResult> {
  const root = await mkdtemp(join(tmpdir(), 'ratchet-bench-store-'));
  try {
    const count = actors.length;
    progress(`persistence: persisting ${count} snapshots through src/store`);
    const store = await openPositionStore(join(root, 'store'));
    const t0 = nowMs();
    const checkpoints: PositionCheckpoint[] = actors.map((actor, i) => ({
      positionId: `p${i}`,
      seq: 1,
      cursor: 0,
      source: 'bench',
      snapshot: actor.getPersistedSnapshot(),
      entries: [],
    }));
    await store.commit(checkpoints);
    const persistMs = nowMs() - t0;
    await store.close();

    // The same bytes the store wrote, rebuilt outside the timed region for the raw baseline.
    const ops = checkpoints.map((c) => ({
      type: 'put' as const,
      key: snapshotKey(c.positionId),
      value: JSON.stringify({
        schemaVersion: SCHEMA_VERSION,
        machineVersion: MACHINE_VERSION,
        positionId: c.positionId,
        seq: c.seq,
        cursor: c.cursor,
        source: c.source,
        snapshot: c.snapshot,
      }),
    }));
    const bytes = ops.reduce((sum, op) => sum + op.key.length + op.value.length, 0);

    progress(`persistence: raw level batch of the same ${bytes} bytes`);
    const raw = new Level<string, string>(join(root, 'raw'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    await raw.open();
    const t1 = nowMs();
    await raw.batch(ops);
    const rawWriteMs = nowMs() - t1;
    await raw.close();

    progress(`persistence: restoring ${count} actors from src/store`);
    const reopened = await openPositionStore(join(root, 'store'));
    const t2 = nowMs();
    const { envelopes } = await reopened.listEnvelopes();
    const restored = envelopes.map((e) => restorePosition(e.positionId, e.snapshot).start());
    const restoreMs = nowMs() - t2;
    await reopened.close();
    if (restored.length !== count)
      throw new Error(`restored ${restored.length} of ${count} actors`);
    restored.forEach((a) => a.stop());

    progress('persistence: raw level read of the same entries');
    const rawAgain = new Level<string, string>(join(root, 'raw'), {
      keyEncoding: 'utf8',
      valueEncoding: 'utf8',
    });
    await rawAgain.open();
    const t3 = nowMs();
    let read = 0;
    for await (const value of rawAgain.values()) read += value.length > 0 ? 1 : 0;
    const rawReadMs = nowMs() - t3;
    await rawAgain.close();
    if (read !== count) throw new Error(`raw read ${read} of ${count} entries`);

    return {
      positions: count,
      bytes,
      persistMs,
      rawWriteMs,
      restoreMs,
      rawReadMs,
      persistRatio: rawWriteMs > 0 ? persistMs / rawWriteMs : 0,
      restoreRatio: rawReadMs > 0 ? restoreMs / rawReadMs : 0,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
