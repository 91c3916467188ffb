import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratchetProcess, startRatchet, tempDir, writeLongScenario } from './persistence.helpers.ts';

const TICKS = 100_000;
const KILLS = 4;

/** Starts a replay, waits until it has committed something, lets it run `delayMs` more, and SIGKILLs it. */
async function killMidway(
  args: string[],
  delayMs: number,
): Promise<{ printed: number; finished: boolean }> {
  const child = startRatchet(args);
  let printed = 0;
  let finished = false;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const started = new Promise<void>((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString().split('\n').length - 1;
      resolve();
    });
    void exited.then(() => {
      finished = true;
      resolve();
    });
  });
  child.stderr?.resume();
  await started;
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  await exited;
  return { printed, finished: finished && child.signalCode === null };
}

describe('a long replay killed with SIGKILL several times, then resumed', () => {
  it(`journals exactly the uninterrupted run’s event lines (${TICKS} ticks, ${KILLS} kills)`, async () => {
    const dir = tempDir('ratchet-crash-');
    const file = writeLongScenario(dir, TICKS);
    const data = join(dir, 'data');
    // The uninterrupted run, in its own process alongside the killed ones.
    const uninterrupted = ratchetProcess(['replay', file, '--format', 'jsonl']);

    const delays = Array.from({ length: KILLS }, () => 100 + Math.floor(Math.random() * 1500));
    const runs: { printed: number; finished: boolean }[] = [];
    for (const [i, delay] of delays.entries()) {
      const resume = i === 0 ? [] : ['--resume'];
      runs.push(
        await killMidway(
          ['replay', file, '--data-dir', data, '--format', 'jsonl', ...resume],
          delay,
        ),
      );
    }
    const last = await ratchetProcess([
      'replay',
      file,
      '--data-dir',
      data,
      '--resume',
      '--format',
      'jsonl',
    ]);
    expect(last.stderr, `kill delays ${delays.join(', ')} ms`).toBe('');
    expect(last.code).toBe(0);

    const reference = (await uninterrupted).stdout.trimEnd().split('\n');
    const expected = { events: reference.slice(0, -1), summary: reference.at(-1) };
    expect(expected.events.length).toBeGreaterThan(1000);
    expect(last.stdout.trimEnd().split('\n').at(-1)).toBe(expected.summary);

    const journal = await ratchetProcess(['journal', '--data-dir', data, '--format', 'jsonl']);
    expect(journal.code).toBe(0);
    const journaled = journal.stdout.trimEnd().split('\n');
    // Compare sizes first so a failure reads "lost 12" or "doubled 40", not a 6000-line diff.
    expect(
      journaled.length,
      `kill delays ${delays.join(', ')} ms; runs ${JSON.stringify(runs)}`,
    ).toBe(expected.events.length);
    expect(journaled).toEqual(expected.events);
  }, 120_000);
});
