import { MACHINE_VERSION } from '../../src/machines/machineVersion.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { jsonLine } from '../../src/cli/format.ts';
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { parseScenario } from '../../src/config/index.ts';
import { openPositionStore } from '../../src/store/positionStore.ts';
import { snapshotKey } from '../../src/store/storeKeys.ts';
import { LOCK_FILE } from '../../src/store/dataDirLock.ts';
import { ratchetProcess, ROOT, startRatchet, tempDir, testSeed } from './persistence.helpers.ts';

const POLICIES = [
  {
    initialStop: { percent: 2 },
    trailing: {
      percent: 1,
      momentum: { windowSeconds: 5, thresholdPercent: 0.5, releasePercent: 0.1, factor: 0.5 },
    },
  },
  {
    initialStop: { percent: 3 },
    activation: { profitPercent: 0.5 },
    trailing: { ticks: 40 },
    breakeven: { triggerPercent: 1, offsetPercent: 0.1 },
  },
  {
    initialStop: { percent: 2 },
    elastic: {
      unit: 'quote',
      engageAt: 0.5,
      pullback: 0.4,
      minStep: 0.1,
      bigJump: { threshold: 2, windowSeconds: 5, margin: 0.5 },
      peakLock: { trigger: 6, lock: 4 },
    },
  },
];

/** Random scenarios as a user would write them: numbers in JSON, a random walk of ticks (some bad). */
const scenarioArb = fc
  .record({
    side: fc.constantFrom('long', 'short'),
    policy: fc.constantFrom(...POLICIES),
    moves: fc.array(
      fc.tuple(
        fc.integer({ min: -30, max: 40 }),
        fc.constantFrom(0, 500, 1000, 3000),
        fc.boolean(),
      ),
      {
        minLength: 1,
        maxLength: 40,
      },
    ),
  })
  .map(({ side, policy, moves }) => {
    const sign = side === 'long' ? 1 : -1;
    let cents = 10_000;
    let ts = 0;
    const ticks = moves.map(([d, dt, good]) => {
      cents += sign * d;
      ts += dt;
      return [ts, good || d % 7 !== 0 ? (cents / 100).toFixed(2) : 'NaN'];
    });
    return {
      market: { tickSize: '0.01' },
      position: { side, entryPrice: '100', quantity: '2', openedAt: 0 },
      policy,
      ticks,
    };
  });

function expectedLines(document: unknown, file: string): { events: string[]; summary: string } {
  const { events, summary } = replayScenario(parseScenario(document, file));
  return { events: events.map(jsonLine), summary: jsonLine(summary) };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const isSummary = (line: string) => line.startsWith('{"type": "summary"');

async function inProcess(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await run(args, io);
  return { code, out, err: err.join('\n') };
}

/** Runs `replay FILE --data-dir DATA --resume --format jsonl` as a separate process. */
function resumeJsonl(file: string, data: string) {
  return ratchetProcess(['replay', file, '--data-dir', data, '--resume', '--format', 'jsonl']);
}

/** Writes the small scenario the error tests tamper with. */
const scenarioFile = (dir: string) => {
  const file = join(dir, 'sc.json');
  writeFileSync(
    file,
    JSON.stringify({
      market: { tickSize: '0.01' },
      position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
      policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
      ticks: [
        [1000, '101'],
        [2000, '102'],
        [3000, '100.9'],
      ],
    }),
  );
  return file;
};

/** Replays one tick of a fresh scenario into a new data directory and opens its store. */
async function savedAfterOneTick() {
  const dir = tempDir();
  const file = scenarioFile(dir);
  const data = join(dir, 'data');
  expect(
    (await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', '1'])).code,
  ).toBe(0);
  const store = await openPositionStore(data);
  const [envelope] = (await store.listEnvelopes()).envelopes;
  if (envelope === undefined) throw new Error('no envelope');
  return { dir, file, data, store, envelope, key: snapshotKey(envelope.positionId) };
}

describe('replay --stop-after-ticks, then --resume, in separate processes', () => {
  it('prints, together, the uninterrupted run’s event lines, and journals exactly those (random scenarios and cuts)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.nat(), async (document, cutSeed) => {
        const dir = tempDir();
        const file = join(dir, 'scenario.json');
        writeFileSync(file, JSON.stringify(document));
        const cut = cutSeed % (document.ticks.length + 1);
        const expected = expectedLines(document, file);
        const data = join(dir, 'data');

        const first = await ratchetProcess([
          'replay',
          file,
          '--data-dir',
          data,
          '--stop-after-ticks',
          String(cut),
          '--format',
          'jsonl',
        ]);
        expect(first.stderr).toBe('');
        expect(first.code).toBe(0);
        const second = await resumeJsonl(file, data);
        expect(second.stderr).toBe('');
        expect(second.code).toBe(0);

        const both = [...lines(first.stdout), ...lines(second.stdout)];
        expect(both.filter((l) => !isSummary(l))).toEqual(expected.events);
        expect(lines(second.stdout).at(-1)).toBe(expected.summary);
        // The first run has the summary only if it reached the end.
        expect(lines(first.stdout).filter(isSummary).length).toBeLessThanOrEqual(1);

        const journal = await ratchetProcess(['journal', '--data-dir', data, '--format', 'jsonl']);
        expect(journal.code).toBe(0);
        expect(lines(journal.stdout)).toEqual(expected.events);
      }),
      { numRuns: 4, seed: testSeed('random scenarios and cuts') },
    );
  });
});

describe('a replay killed before its first commit', () => {
  const spec = join(ROOT, 'examples/spec/random-101.json');

  it('resumes from tick 0 when the store holds neither its snapshot nor its journal (the state such a kill leaves)', async () => {
    const data = join(tempDir(), 'data');
    // What a run SIGKILLed right after taking the directory leaves: an empty LevelDB store
    // and the dead process's ratchet.lock.
    const empty = await openPositionStore(data);
    await empty.close();
    const dead = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      join(data, LOCK_FILE),
      JSON.stringify({ pid: Number(dead.stdout), startedAt: 'then', host: hostname() }),
    );
    const resumed = await resumeJsonl(spec, data);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr.trim()).toMatch(
      /^ratchet: note: data directory .* has no saved replay of .*random-101\.json as it is now \(position random-101-\w{12}\), nor any journal entry of it \(a run killed before its first commit leaves none\); starting it from tick 0\.$/,
    );
    const full = await ratchetProcess(['replay', spec, '--format', 'jsonl']);
    expect(resumed.stdout).toBe(full.stdout);
  });

  it('a real process SIGKILLed as soon as its lock file appears, then resumed, journals the uninterrupted run', async () => {
    const data = join(tempDir(), 'data');
    const child = startRatchet(['replay', spec, '--data-dir', data, '--format', 'jsonl']);
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(data, LOCK_FILE))) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 0);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    const resumed = await resumeJsonl(spec, data);
    expect(resumed.code).toBe(0);
    const full = await ratchetProcess(['replay', spec, '--format', 'jsonl']);
    expect(printed + resumed.stdout).toBe(full.stdout);
    const journal = await ratchetProcess(['journal', '--data-dir', data, '--format', 'jsonl']);
    expect(lines(journal.stdout)).toEqual(lines(full.stdout).filter((l) => !isSummary(l)));
  });
});

describe('persistence errors are one clear paragraph and exit 2', () => {
  it('a data directory held by another process: names the holder and leaves it untouched', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const data = join(dir, 'data');
    const holder = await openPositionStore(data);
    try {
      const second = await ratchetProcess([
        'replay',
        file,
        '--data-dir',
        data,
        '--stop-after-ticks',
        '1',
      ]);
      expect(second.code).toBe(2);
      expect(second.stdout).toBe('');
      expect(second.stderr.trim()).toMatch(
        new RegExp(
          `^ratchet: data directory .*data is in use by another ratchet process \\(pid ${process.pid}, started \\S+\\), as its ratchet\\.lock says and LevelDB's own lock confirms\\. One process per data directory: stop that process, or pass another --data-dir\\.$`,
        ),
      );
      await holder.commit([]);
      expect((await holder.readJournal()).entries).toEqual([]);
    } finally {
      await holder.close();
    }
    expect(
      (await ratchetProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', '1'])).code,
    ).toBe(0);
  });

  it('a corrupt snapshot: reported with its key, moved aside, and no crash loop on the next start', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const data = join(dir, 'data');
    expect(
      (await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', '1'])).code,
    ).toBe(0);
    const store = await openPositionStore(data);
    const key =
      (await store.listEnvelopes()).envelopes.map((e) => snapshotKey(e.positionId))[0] ?? '';
    await store.putRaw(key, '{"schemaVersion": 1, "snap');
    await store.close();

    const resumed = await inProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(resumed.code).toBe(2);
    expect(resumed.err).toMatch(
      new RegExp(
        `^ratchet: data directory .*: entry ${key} is corrupt \\(not JSON .*\\); it was moved aside to quarantine!${key}!\\S+ and nothing else was changed\\.$`,
      ),
    );
    expect(resumed.err).not.toMatch(/\n\s+at /);
    const again = await inProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(again.code).toBe(2);
    // Its decisions are journaled: starting it again here would journal them twice.
    expect(again.err).toMatch(
      /holds no snapshot of .*sc\.json \(position sc-\w{12}\), but its journal already holds 3 of that position's decisions .* with a new --data-dir\.$/,
    );
    const journal = await inProcess(['journal', '--data-dir', data]);
    expect(journal.code).toBe(0);
    expect(journal.err).toMatch(
      /note: 1 damaged entry was moved aside earlier \(first: snapshot!sc-\w+ → quarantine!snapshot!sc-/,
    );
  });

  it('a snapshot that parses but fails on its first step: moved aside and named, never committed; then no fresh start over its journal', async () => {
    const { file, data, store, envelope, key } = await savedAfterOneTick();
    const snapshot = envelope.snapshot as unknown as { context: Record<string, unknown> };
    await store.putRaw(
      key,
      JSON.stringify({
        ...envelope,
        snapshot: { ...snapshot, context: { ...snapshot.context, stop: '2.8x1' } },
      }),
    );
    const journalBefore = (await store.readJournal()).entries;
    await store.close();

    const resumed = await ratchetProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(resumed.code).toBe(2);
    expect(resumed.stdout).toBe('');
    expect(resumed.stderr.trim()).toMatch(
      new RegExp(
        `^ratchet: data directory .*: entry ${key} is corrupt \\(restored, it fails on its first tick: .*Invalid argument: 2\\.8x1.*\\); it was moved aside to quarantine!${key}!\\S+ and nothing else was changed\\.$`,
      ),
    );
    expect(resumed.stderr.trim().split('\n')).toHaveLength(1);

    // The position's decisions are journaled, its snapshot is gone: neither --resume nor a
    // fresh run may journal them again.
    for (const args of [['--resume'], []]) {
      const again = await ratchetProcess(['replay', file, '--data-dir', data, ...args]);
      expect(again.code).toBe(2);
      expect(again.stdout).toBe('');
      expect(again.stderr.trim()).toMatch(
        new RegExp(
          `^ratchet: data directory .* holds no snapshot of .*sc\\.json \\(position ${envelope.positionId}\\), but its journal already holds 3 of that position's decisions \\(up to seq 3\\);.* with a new --data-dir\\.$`,
        ),
      );
    }
    const after = await openPositionStore(data);
    expect((await after.readJournal()).entries).toEqual(journalBefore);
    expect(await after.getRaw(key)).toBeUndefined();
    expect((await after.listQuarantine()).map((q) => q.key)).toEqual([key]);
    await after.close();
  });

  it('a snapshot saved in status error by an older build: moved aside, its error named', async () => {
    const { file, data, store, envelope, key } = await savedAfterOneTick();
    await store.putRaw(
      key,
      JSON.stringify({
        ...envelope,
        snapshot: { ...envelope.snapshot, status: 'error', error: {} },
      }),
    );
    await store.close();
    const resumed = await inProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(resumed.code).toBe(2);
    expect(resumed.err).not.toMatch(/object Object/);
    expect(resumed.err).toMatch(
      new RegExp(
        `^ratchet: data directory .*: entry ${key} is corrupt \\(it cannot be restored: .*saved in status error.*\\); it was moved aside to quarantine!${key}!`,
      ),
    );
  });

  it('an unknown machine version: refused with the versions named, the snapshot kept', async () => {
    const { file, data, store, envelope, key } = await savedAfterOneTick();
    await store.putRaw(key, JSON.stringify({ ...envelope, machineVersion: 99 }));
    await store.close();
    const resumed = await inProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(resumed.code).toBe(2);
    expect(resumed.err).toBe(
      `ratchet: ${key} was written by position machine version 99, but this build runs version ${MACHINE_VERSION} and cannot read newer snapshots. Run the build that wrote it (or a newer one).`,
    );
  });

  it('a data directory that is a file, or under a file: one paragraph, exit 2, for replay and journal', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'x\n');
    for (const [data, why] of [
      [plain, 'it is a file'],
      [join(plain, 'sub'), 'ENOTDIR'],
    ] as const) {
      const replay = await ratchetProcess([
        'replay',
        file,
        '--data-dir',
        data,
        '--stop-after-ticks',
        '1',
      ]);
      expect(replay.code).toBe(2);
      expect(replay.stdout).toBe('');
      expect(replay.stderr).toBe(
        `ratchet: data directory ${data} is not a usable directory: ${why === 'ENOTDIR' ? `ENOTDIR: not a directory, mkdir '${data}'` : why}.\n`,
      );
    }
    const journal = await ratchetProcess(['journal', '--data-dir', plain]);
    expect(journal.code).toBe(2);
    expect(journal.stderr).toBe(
      `ratchet: data directory ${plain} is not a usable directory: it is a file.\n`,
    );
  });

  it('journal on a directory that holds no store: refused, and nothing is created there', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'README'), 'a project\n');
    const journal = await ratchetProcess(['journal', '--data-dir', dir]);
    expect(journal.code).toBe(2);
    expect(journal.stdout).toBe('');
    expect(journal.stderr).toBe(
      `ratchet: data directory ${dir} holds no ratchet store (no LevelDB files in it); pass the --data-dir of a persisted replay.\n`,
    );
    expect(readdirSync(dir)).toEqual(['README']);
  });

  it('journal --format table names the position and seq of every line; --position filters', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const data = join(dir, 'data');
    expect((await inProcess(['replay', file, '--data-dir', data])).code).toBe(0);
    const shown = await inProcess(['journal', '--data-dir', data, '--format', 'table']);
    expect(shown.code).toBe(0);
    expect(shown.out.join('\n')).toMatch(
      /^position +seq +ts +event +fields\n.*\nsc-\w{12} +1 +0 +opened +stop=98\n/,
    );
    expect(shown.out.join('\n')).toMatch(
      /sc-\w{12} +5 +3000 +exited +price=100\.9 stop=100\.98 reason=trailing$/,
    );
    const none = await inProcess(['journal', '--data-dir', data, '--position', 'nobody']);
    expect(none.out).toEqual([]);
  });

  it('--resume of another scenario, a second fresh run, and a bad tick count', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const data = join(dir, 'data');
    expect(
      (await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', '1'])).code,
    ).toBe(0);
    const fresh = await inProcess(['replay', file, '--data-dir', data]);
    expect(fresh.code).toBe(2);
    expect(fresh.err).toMatch(
      /already holds a replay of .*sc\.json \(position sc-\w{12}, next tick 1 of 3\)\. Add --resume/,
    );
    const otherScenario = join(dir, 'sc2.json');
    writeFileSync(
      otherScenario,
      JSON.stringify({
        market: { tickSize: '0.01' },
        position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
        policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } },
        ticks: [[1000, '105']],
      }),
    );
    // Another scenario is another position: with nothing saved and nothing journaled for it,
    // --resume starts it from tick 0 and says so.
    const wrong = await inProcess(['replay', otherScenario, '--data-dir', data, '--resume']);
    expect(wrong.code).toBe(0);
    expect(wrong.err).toMatch(
      /^ratchet: note: data directory .* has no saved replay of .*sc2\.json as it is now \(position sc2-\w{12}\) \(it holds sc-\w{12} \(next tick 1\); a changed scenario is a different position\), nor any journal entry of it .*; starting it from tick 0\.$/,
    );
    const bad = await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--stop-after-ticks: ten is not a whole number/);
  });
});
