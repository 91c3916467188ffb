import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PositionStepError } from '../../src/replay/positionStepError.ts';
import type { PersistedPositionSnapshot } from '../../src/store/checkpoint.ts';
import {
  openPositionForResume,
  quarantineIfSnapshotBad,
} from '../../src/store/openPositionForResume.ts';
import { openPositionStore, type PositionStore } from '../../src/store/positionStore.ts';
import { SnapshotRestoreError } from '../../src/store/restorePosition.ts';
import { CorruptEntryError } from '../../src/store/storeErrors.ts';

const open: PositionStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const snapshot = {
  status: 'active',
  value: { open: {} },
  context: { stop: '98' },
} as unknown as PersistedPositionSnapshot;

/** A store holding position `p` saved from source `s` at cursor 4, seq 2. */
async function storeWithP(): Promise<PositionStore> {
  const store = await openPositionStore(mkdtempSync(join(tmpdir(), 'ratchet-resume-')));
  open.push(store);
  await store.commit([
    {
      positionId: 'p',
      seq: 2,
      cursor: 4,
      source: 's',
      snapshot,
      entries: [
        { positionId: 'p', seq: 1, event: { type: 'opened', ts: 0, stop: '98' } },
        { positionId: 'p', seq: 2, event: { type: 'tickRejected', ts: 1, why: 'not a number' } },
      ],
    },
  ]);
  return store;
}

describe('openPositionForResume', () => {
  // One row per decision: position, request, what the store says.
  it.each([
    [
      'p',
      { resume: true, source: 's' },
      { kind: 'resume', point: { snapshot, seq: 2, cursor: 4 } },
    ],
    ['p', { resume: true, source: 's', inputLength: 4 }, { kind: 'resume' }],
    [
      'p',
      { resume: true, source: 's', inputLength: 3 },
      { kind: 'refused', reason: { why: 'otherSource', cursor: 4 } },
    ],
    [
      'p',
      { resume: true, source: 'other' },
      { kind: 'refused', reason: { why: 'otherSource', cursor: 4 } },
    ],
    [
      'p',
      { resume: false, source: 's' },
      { kind: 'refused', reason: { why: 'alreadySaved', cursor: 4 } },
    ],
    ['q', { resume: true, source: 's' }, { kind: 'fresh' }],
    ['q', { resume: false, source: 's' }, { kind: 'fresh' }],
  ] as const)('%s %j → %j', async (id, request, decision) => {
    const store = await storeWithP();
    expect(await openPositionForResume(store, id, request)).toMatchObject(decision);
  });

  it('refuses to start a position whose snapshot is gone but whose journal is not, either way', async () => {
    const store = await storeWithP();
    await store.quarantineSnapshot('p', 'damaged');
    for (const resume of [true, false]) {
      expect(await openPositionForResume(store, 'p', { resume, source: 's' })).toEqual({
        kind: 'refused',
        reason: { why: 'orphanJournal', count: 2, lastSeq: 2 },
      });
    }
  });
});

describe('quarantineIfSnapshotBad', () => {
  it('moves aside a snapshot that cannot be restored or fails its first step, and nothing else', async () => {
    const store = await storeWithP();
    const other = new Error('disk full');
    expect(await quarantineIfSnapshotBad(store, 'p', other)).toBe(other);
    const later = new PositionStepError('position p failed on tick 7', 'p', false);
    expect(await quarantineIfSnapshotBad(store, 'p', later)).toBe(later);
    expect(await store.listQuarantine()).toEqual([]);

    const first = new PositionStepError('position p failed on tick 4', 'p', true);
    const reported = await quarantineIfSnapshotBad(store, 'p', first);
    expect(reported).toBeInstanceOf(CorruptEntryError);
    expect((reported as Error).message).toMatch(
      /entry snapshot!p is corrupt \(restored, it fails on its first tick: position p failed on tick 4\); it was moved aside to quarantine!snapshot!p!/,
    );
    expect(await store.loadEnvelope('p')).toBeUndefined();

    const unrestorable = new SnapshotRestoreError('unknown state');
    expect(await quarantineIfSnapshotBad(store, 'p', unrestorable)).toBe(unrestorable); // already gone
  });
});
