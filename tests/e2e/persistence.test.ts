import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayScenario } from '../../src/actors/replayScenario.ts';
import { jsonLine } from '../../src/cli/format.ts';
import { run } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { parseScenario } from '../../src/config/index.ts';
import { openPositionStore } from '../../src/store/positionStore.ts';
import { snapshotKey } from '../../src/store/storeKeys.ts';
import { ratchetProcess, tempDir } from './persistence.helpers.ts';

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
        const second = await ratchetProcess([
          'replay',
          file,
          '--data-dir',
          data,
          '--resume',
          '--format',
          'jsonl',
        ]);
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
      { numRuns: 4 },
    );
  });
});

describe('persistence errors are one clear paragraph and exit 2', () => {
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
          `^ratchet: data directory .*data is in use by another ratchet process \\(pid ${process.pid}, started \\S+\\)\\. One process per data directory: stop that process, or pass another --data-dir\\.$`,
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
    expect(again.err).toMatch(
      /has no saved replay of .*sc\.json as it is now .*; it holds no replay at all\./,
    );
    const journal = await inProcess(['journal', '--data-dir', data]);
    expect(journal.code).toBe(0);
    expect(journal.err).toMatch(
      /note: 1 damaged entry was moved aside earlier \(first: snapshot!sc-\w+ → quarantine!snapshot!sc-/,
    );
  });

  it('an unknown machine version: refused with the versions named, the snapshot kept', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const data = join(dir, 'data');
    expect(
      (await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', '1'])).code,
    ).toBe(0);
    const store = await openPositionStore(data);
    const [envelope] = (await store.listEnvelopes()).envelopes;
    if (envelope === undefined) throw new Error('no envelope');
    const key = snapshotKey(envelope.positionId);
    await store.putRaw(key, JSON.stringify({ ...envelope, machineVersion: 99 }));
    await store.close();
    const resumed = await inProcess(['replay', file, '--data-dir', data, '--resume']);
    expect(resumed.code).toBe(2);
    expect(resumed.err).toBe(
      `ratchet: ${key} was written by position machine version 99, but this build runs version 1 and cannot read newer snapshots. Run the build that wrote it (or a newer one).`,
    );
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
    const wrong = await inProcess(['replay', otherScenario, '--data-dir', data, '--resume']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(
      /has no saved replay of .*sc2\.json as it is now \(position sc2-\w{12}\); it holds sc-\w{12} \(next tick 1\)\./,
    );
    const bad = await inProcess(['replay', file, '--data-dir', data, '--stop-after-ticks', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--stop-after-ticks: ten is not a whole number/);
  });
});
