import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ratchetProcess,
  seededRandom,
  startRatchet,
  tempDir,
  testSeed,
  writeLongScenario,
} from './persistence.helpers.ts';

const TICKS = 50_000;
const KILLS = 4;

/** Starts a replay, waits until it has printed at least `lines` committed lines (or ended), and SIGKILLs it. */
async function killAfterLines(
  args: string[],
  lines: number,
): Promise<{ printed: number; finished: boolean }> {
  const child = startRatchet(args);
  let printed = 0;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const enough = new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString().split('\n').length - 1;
      if (printed >= lines) resolve();
    });
    void exited.then(resolve);
  });
  child.stderr?.resume();
  await enough;
  // The replay goes on between the last line read and the kill: the kill lands mid-batch.
  child.kill('SIGKILL');
  await exited;
  return { printed, finished: child.signalCode === null };
}

describe('a long replay killed with SIGKILL several times, then resumed', () => {
  it(`journals exactly the uninterrupted run’s event lines (${TICKS} ticks, ${KILLS} kills)`, async () => {
    const seed = testSeed('kill points');
    const random = seededRandom(seed);
    const dir = tempDir('ratchet-crash-');
    const file = writeLongScenario(dir, TICKS);
    const data = join(dir, 'data');
    // The uninterrupted run, in its own process alongside the killed ones.
    const uninterrupted = ratchetProcess(['replay', file, '--format', 'jsonl']);

    const killAfter = Array.from({ length: KILLS }, () => 1 + Math.floor(random() * 300));
    const runs: { printed: number; finished: boolean }[] = [];
    for (const [i, lines] of killAfter.entries()) {
      const resume = i === 0 ? [] : ['--resume'];
      runs.push(
        await killAfterLines(
          ['replay', file, '--data-dir', data, '--format', 'jsonl', ...resume],
          lines,
        ),
      );
    }
    const context = `seed ${seed}; killed after ${killAfter.join(', ')} lines; runs ${JSON.stringify(runs)}`;
    const last = await ratchetProcess([
      'replay',
      file,
      '--data-dir',
      data,
      '--resume',
      '--format',
      'jsonl',
    ]);
    expect(last.stderr, context).toBe('');
    expect(last.code).toBe(0);

    const reference = (await uninterrupted).stdout.trimEnd().split('\n');
    const expected = { events: reference.slice(0, -1), summary: reference.at(-1) };
    expect(expected.events.length).toBeGreaterThan(1000);
    expect(last.stdout.trimEnd().split('\n').at(-1), context).toBe(expected.summary);

    const journal = await ratchetProcess(['journal', '--data-dir', data, '--format', 'jsonl']);
    expect(journal.code).toBe(0);
    const journaled = journal.stdout.trimEnd().split('\n');
    // Compare sizes first so a failure reads "lost 12" or "doubled 40", not a 6000-line diff.
    expect(journaled.length, context).toBe(expected.events.length);
    expect(journaled, context).toEqual(expected.events);
  }, 120_000);
});
