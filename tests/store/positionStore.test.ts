import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PersistedPositionSnapshot, PositionCheckpoint } from '../../src/store/checkpoint.ts';
import { MACHINE_VERSION } from '../../src/machines/machineVersion.ts';
import { LOCK_FILE } from '../../src/store/dataDirLock.ts';
import type { SnapshotEnvelope } from '../../src/store/envelope.ts';
import { openPositionStore, type PositionStore } from '../../src/store/positionStore.ts';
import { snapshotKey } from '../../src/store/storeKeys.ts';
import {
  CorruptEntryError,
  DataDirLockedError,
  SnapshotVersionError,
} from '../../src/store/storeErrors.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ratchet.mjs');
const open: PositionStore[] = [];

async function freshStore(options?: Parameters<typeof openPositionStore>[1]) {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-store-'));
  const store = await openPositionStore(dir, options);
  open.push(store);
  return { dir, store };
}

afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
});

const snapshot = {
  status: 'active',
  value: { open: {} },
  context: { stop: '98' },
} as unknown as PersistedPositionSnapshot;

function checkpoint(
  positionId: string,
  seq: number,
  cursor: number,
  types: string[],
): PositionCheckpoint {
  return {
    positionId,
    seq,
    cursor,
    source: 'digest',
    snapshot,
    entries: types.map((type, i) => ({
      positionId,
      seq: seq - types.length + i + 1,
      event: { type, ts: cursor } as never,
    })),
  };
}

describe('PositionStore', () => {
  it('commits snapshot and journal together and keeps the journal in commit order across reopening', async () => {
    const { dir, store } = await freshStore();
    await store.commit([checkpoint('a', 1, 0, ['opened']), checkpoint('b', 1, 0, ['opened'])]);
    await store.commit([checkpoint('a', 3, 5, ['activated', 'stopMoved'])]);
    await store.close();
    const again = await openPositionStore(dir);
    open.push(again);
    await again.commit([checkpoint('b', 2, 9, ['exited'])]);
    const envelope = await again.loadEnvelope('a');
    expect(envelope).toMatchObject({
      machineVersion: MACHINE_VERSION,
      positionId: 'a',
      seq: 3,
      cursor: 5,
      snapshot,
    });
    const { entries, quarantined } = await again.readJournal();
    expect(quarantined).toEqual([]);
    expect(entries.map((e) => `${e.positionId}${e.seq}:${e.event.type}`)).toEqual([
      'a1:opened',
      'b1:opened',
      'a2:activated',
      'a3:stopMoved',
      'b2:exited',
    ]);
    expect(await again.loadEnvelope('nobody')).toBeUndefined();
  });

  it('moves a corrupt snapshot aside, names its key, and does not trip over it again', async () => {
    const { store } = await freshStore();
    await store.putRaw(snapshotKey('p'), '{"schemaVersion": 1, "machineVers');
    const error = await store.loadEnvelope('p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptEntryError);
    expect((error as Error).message).toMatch(
      /entry snapshot!p is corrupt \(not JSON .*\); it was moved aside to quarantine!snapshot!p!/,
    );
    expect(await store.loadEnvelope('p')).toBeUndefined();
    const kept = await store.listQuarantine();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ key: 'snapshot!p', raw: '{"schemaVersion": 1, "machineVers' });
  });

  it('moves a corrupt journal entry aside and still returns every other entry', async () => {
    const { store } = await freshStore();
    await store.commit([checkpoint('a', 2, 1, ['opened', 'activated'])]);
    await store.putRaw('journal!0000000000000002', '{"positionId": "a", "seq": 2, "event": 17}');
    const first = await store.readJournal();
    expect(first.entries.map((e) => e.event.type)).toEqual(['opened']);
    expect(first.quarantined).toEqual([
      expect.objectContaining({
        key: 'journal!0000000000000002',
        reason: 'event is not an event line (type, ts)',
      }),
    ]);
    const second = await store.readJournal();
    expect(second.quarantined).toEqual([]);
  });

  const versioned = (machineVersion: number): SnapshotEnvelope => ({
    schemaVersion: 1,
    machineVersion,
    positionId: 'p',
    seq: 1,
    cursor: 0,
    source: 'digest',
    snapshot,
  });

  it('refuses a snapshot of a newer machine version with a clear message, and keeps it', async () => {
    const { store } = await freshStore();
    await store.putRaw(snapshotKey('p'), JSON.stringify(versioned(MACHINE_VERSION + 6)));
    const error = await store.loadEnvelope('p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotVersionError);
    expect((error as Error).message).toBe(
      `snapshot!p was written by position machine version ${MACHINE_VERSION + 6}, but this build runs version ${MACHINE_VERSION} and cannot read newer snapshots. Run the build that wrote it (or a newer one).`,
    );
    expect(await store.getRaw(snapshotKey('p'))).toBeDefined();
  });

  it('refuses an older version without a migration, and migrates it with one', async () => {
    const { store } = await freshStore();
    await store.putRaw(snapshotKey('p'), JSON.stringify(versioned(MACHINE_VERSION - 1)));
    await store.close();
    const bare = await openPositionStore(store.dir, { migrations: new Map() });
    await expect(bare.loadEnvelope('p')).rejects.toThrow(
      new RegExp(
        `version ${MACHINE_VERSION - 1}; this build runs version ${MACHINE_VERSION} and has no migration from version ${MACHINE_VERSION - 1}`,
      ),
    );
    await bare.close();
    const withMigration = await openPositionStore(store.dir, {
      migrations: new Map([
        [
          MACHINE_VERSION - 1,
          (e: SnapshotEnvelope) => ({
            ...e,
            snapshot: { ...e.snapshot, context: { stop: 'migrated' } },
          }),
        ],
      ]),
    });
    open.push(withMigration);
    expect(await withMigration.loadEnvelope('p')).toMatchObject({
      machineVersion: MACHINE_VERSION,
      snapshot: { context: { stop: 'migrated' } },
    });
  });
});

describe('the data-directory lock', () => {
  it('refuses a second open in this process without releasing LevelDB lock for other processes', async () => {
    const { dir, store } = await freshStore();
    await expect(openPositionStore(dir)).rejects.toThrow(DataDirLockedError);
    await expect(openPositionStore(dir)).rejects.toThrow(/already open in this process/);
    const other = spawnSync('node', [BIN, 'journal', '--data-dir', dir], { encoding: 'utf8' });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      new RegExp(`in use by another ratchet process \\(pid ${process.pid}, started 20\\d\\d-`),
    );
    // LevelDB's own lock still stands (a failed second open would have dropped it).
    const raw = spawnSync(
      'node',
      [
        '--input-type=module',
        '-e',
        `import { Level } from 'level'; await new Level(${JSON.stringify(dir)}).open().catch((e) => { process.stdout.write(e.cause?.code ?? 'other'); });`,
      ],
      { encoding: 'utf8', cwd: join(import.meta.dirname, '../..') },
    );
    expect(raw.stdout).toBe('LEVEL_LOCKED');
    // The holder is untouched: it still writes and reads.
    await store.commit([checkpoint('a', 1, 0, ['opened'])]);
    expect((await store.readJournal()).entries).toHaveLength(1);
  });

  it('takes over a lock left by a dead process, and ignores an unreadable one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-store-'));
    const dead = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: Number(dead.stdout), startedAt: 'then', host: hostname() }),
    );
    const store = await openPositionStore(dir);
    await store.close();
    writeFileSync(join(dir, LOCK_FILE), '{"pi');
    const again = await openPositionStore(dir);
    await again.close();
  });

  it('takes over a lock naming a process on another host, once LevelDB opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-store-'));
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 999999, startedAt: 'then', host: 'old-container-3f2a' }),
    );
    const store = await openPositionStore(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    await store.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock whose pid now belongs to an unrelated live process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-store-'));
    const unrelated = spawn('sleep', ['3600']);
    try {
      writeFileSync(
        join(dir, LOCK_FILE),
        JSON.stringify({ pid: unrelated.pid, startedAt: 'then', host: hostname() }),
      );
      const store = await openPositionStore(dir);
      await store.commit([checkpoint('a', 1, 0, ['opened'])]);
      await store.close();
    } finally {
      unrelated.kill();
    }
  });

  it('refuses, naming ratchet.lock, when the process the lock names really has the store open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-store-'));
    // The holder keeps the store open until its stdin closes, however long the check takes.
    const script = `
      import { openPositionStore } from './src/store/positionStore.ts';
      const store = await openPositionStore(${JSON.stringify(dir)});
      process.stdout.write('open');
      process.stdin.resume();
      await new Promise((resolve) => process.stdin.once('end', resolve));
      await store.close();`;
    const holder = spawn('node', ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await new Promise((resolve) => holder.stdout.once('data', resolve));
      const other = spawnSync('node', [BIN, 'journal', '--data-dir', dir], { encoding: 'utf8' });
      expect(other.status).toBe(2);
      expect(other.stderr).toMatch(
        new RegExp(
          `in use by another ratchet process \\(pid ${holder.pid}, started 20\\d\\d-\\S+\\), as its ratchet\\.lock says and LevelDB's own lock confirms\\.`,
        ),
      );
    } finally {
      holder.stdin.end();
      await exited;
    }
  });
});

describe('journal numbering', () => {
  it('continues after the last well-formed key when a malformed journal key sorts last', async () => {
    const { dir, store } = await freshStore();
    await store.commit([checkpoint('a', 2, 1, ['opened', 'activated'])]);
    await store.putRaw(
      'journal!garbage',
      JSON.stringify({ positionId: 'x', seq: 1, event: { type: 'opened', ts: 0 } }),
    );
    await store.close();
    open.splice(0);
    const again = await openPositionStore(dir);
    open.push(again);
    await again.commit([checkpoint('a', 3, 2, ['stopMoved'])]);
    const entries = (await again.readJournal()).entries.filter((e) => e.positionId === 'a');
    expect(entries.map((e) => [e.seq, e.event.type])).toEqual([
      [1, 'opened'],
      [2, 'activated'],
      [3, 'stopMoved'],
    ]);
  });
});
