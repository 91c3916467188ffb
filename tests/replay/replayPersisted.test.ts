import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JournalEntry, ResumePoint } from '../../src/store/checkpoint.ts';
import { PositionStepError } from '../../src/replay/positionStepError.ts';
import { replayPersisted } from '../../src/replay/replayPersisted.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { Scenario } from '../../src/domain/types.ts';
import { MemorySink } from '../store/memorySink.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

describe('replayPersisted', () => {
  it('crashed after random commits and resumed, leaves the journal of an uninterrupted replay (every SPEC example)', async () => {
    const files = [
      'random-101',
      'random-606',
      'sete-bigjump',
      'short-tiers-momentum',
      'bad-ticks-and-ticks-distance',
      'breakeven-time-activation',
    ];
    const scenarios = await Promise.all(
      files.map((f) => loadScenarioFile(join(SPEC_DIR, `${f}.json`))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...scenarios),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (scenario: Scenario, crashes, batch) => {
          const expected = replayScenario(scenario).events;
          const sink = new MemorySink();
          const printed: string[] = [];
          const onCommitted = (entries: readonly JournalEntry[]) =>
            printed.push(...entries.map((e) => JSON.stringify(e.event)));
          for (const crashAfter of crashes) {
            sink.crashAfter = sink.commits + crashAfter;
            await replayPersisted(scenario, {
              positionId: 'p',
              source: 's',
              sink,
              resumeFrom: sink.resumePoint(),
              maxPendingSteps: batch,
              onCommitted,
            }).catch((e: unknown) => {
              if (!(e instanceof Error) || e.message !== 'crashed') throw e;
            });
          }
          sink.crashAfter = Infinity;
          const last = await replayPersisted(scenario, {
            positionId: 'p',
            source: 's',
            sink,
            resumeFrom: sink.resumePoint(),
            maxPendingSteps: batch,
            onCommitted,
          });
          expect(last.finished).toBe(true);
          expect(sink.journal.map((e) => e.event)).toEqual(expected);
          expect(sink.journal.map((e) => e.seq)).toEqual(expected.map((_, i) => i + 1));
          expect(printed).toEqual(expected.map((e) => JSON.stringify(e)));
          expect(last.summary).toEqual(replayScenario(scenario).summary);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('stops after N ticks and resumes to the same events, printing the summary state only at the end', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'short-tiers-momentum.json'));
    const sink = new MemorySink();
    const first = await replayPersisted(scenario, {
      positionId: 'p',
      source: 's',
      sink,
      stopAfterTicks: 4,
    });
    expect(first).toMatchObject({ cursor: 4, finished: false, ticksSent: 4 });
    const second = await replayPersisted(scenario, {
      positionId: 'p',
      source: 's',
      sink,
      resumeFrom: sink.resumePoint(),
    });
    expect(second.finished).toBe(true);
    expect([...first.events, ...second.events]).toEqual(replayScenario(scenario).events);
    const again = await replayPersisted(scenario, {
      positionId: 'p',
      source: 's',
      sink,
      resumeFrom: sink.resumePoint(),
    });
    expect(again).toMatchObject({
      events: [],
      ticksSent: 0,
      finished: true,
      summary: second.summary,
    });
  });
});

describe('replayPersisted with a damaged snapshot', () => {
  it('never commits an actor in status error, and says the first step after a restore failed', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'short-tiers-momentum.json'));
    const sink = new MemorySink();
    await replayPersisted(scenario, { positionId: 'p', source: 's', sink, stopAfterTicks: 2 });
    const point = sink.resumePoint();
    if (point === undefined) throw new Error('nothing committed');
    const context = (point.snapshot as unknown as { context: Record<string, unknown> }).context;
    const damaged = {
      ...point,
      snapshot: { ...point.snapshot, context: { ...context, stop: '2.8x1' } },
    } as ResumePoint;
    const commits = sink.commits;
    const journal = sink.journal.length;
    const run = replayPersisted(scenario, {
      positionId: 'p',
      source: 's',
      sink,
      resumeFrom: damaged,
    });
    await expect(run).rejects.toThrow(PositionStepError);
    await expect(run).rejects.toMatchObject({
      positionId: 'p',
      firstStepAfterRestore: true,
      message: expect.stringMatching(
        /^position p failed on tick 2 \(ts \d+\): .*Invalid argument: 2\.8x1\. Nothing of that step was saved\.$/,
      ) as unknown,
    });
    expect(sink.commits).toBe(commits);
    expect(sink.journal).toHaveLength(journal);
    expect(sink.latest?.snapshot.status).toBe('active');
  });
});
