import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  CheckpointSink,
  JournalEntry,
  PositionCheckpoint,
} from '../../src/store/checkpoint.ts';
import { CheckpointWriter } from '../../src/store/checkpointWriter.ts';
import {
  PositionStepError,
  replayPersisted,
  type ReplayResumePoint,
} from '../../src/replay/replayPersisted.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { Scenario } from '../../src/domain/types.ts';
import { createActor } from 'xstate';
import { positionMachine } from '../../src/machines/positionMachine.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

/** A sink that keeps what a store would, and can "crash" (refuse every commit) after a number of commits. */
class MemorySink implements CheckpointSink {
  journal: JournalEntry[] = [];
  latest: PositionCheckpoint | undefined;
  commits = 0;
  crashAfter = Infinity;
  commit(checkpoints: readonly PositionCheckpoint[]): Promise<void> {
    if (this.commits >= this.crashAfter) return Promise.reject(new Error('crashed'));
    this.commits++;
    // A store serializes at once; copying here catches a writer that hands over live objects.
    for (const c of JSON.parse(JSON.stringify(checkpoints)) as PositionCheckpoint[]) {
      this.journal.push(...c.entries);
      this.latest = c;
    }
    return Promise.resolve();
  }
  resumePoint(): ReplayResumePoint | undefined {
    const c = this.latest;
    return c === undefined ? undefined : { snapshot: c.snapshot, seq: c.seq, cursor: c.cursor };
  }
}

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
    } as ReplayResumePoint;
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

describe('CheckpointWriter', () => {
  const input = {
    market: { tickSize: '0.01' },
    position: { side: 'long' as const, entryPrice: '100', quantity: '1', openedAt: 0 },
    policy: { initialStop: { percent: '2' }, trailing: { percent: '1' } },
  };

  it('coalesces many steps of many positions into one batch, one snapshot each, every event kept', async () => {
    const sink = new MemorySink();
    const committed: PositionCheckpoint[][] = [];
    const spy: CheckpointSink = { commit: (c) => (committed.push([...c]), sink.commit(c)) };
    const writer = new CheckpointWriter(spy, { maxPendingSteps: 1000 });
    const actors = ['a', 'b'].map((id) => {
      const actor = createActor(positionMachine, { input: { id, ...input } });
      const events: never[] = [];
      actor.on('*', (e) => events.push(e as never));
      actor.start();
      writer.track({ positionId: id, actor, seq: 0, cursor: 0, source: 's' });
      writer.stepped(id, 0, events.splice(0));
      return { id, actor, events };
    });
    for (let i = 1; i <= 5; i++) {
      for (const { id, actor, events } of actors) {
        actor.send({ type: 'PRICE', ts: i, price: String(100 + i) });
        expect(writer.stepped(id, i, events.splice(0)).flushDue).toBe(false);
      }
    }
    await writer.flush();
    expect(committed).toHaveLength(1);
    // opened; activated + stopMoved at the first tick; a stopMoved at each of the next four.
    expect(committed[0]?.map((c) => [c.positionId, c.cursor, c.seq, c.entries.length])).toEqual([
      ['a', 5, 7, 7],
      ['b', 5, 7, 7],
    ]);
    await writer.flush();
    expect(committed).toHaveLength(1); // nothing changed, nothing written
  });

  it('keeps the entries of a failed flush for the next one', async () => {
    const sink = new MemorySink();
    sink.crashAfter = 0;
    const writer = new CheckpointWriter(sink);
    const actor = createActor(positionMachine, { input: { id: 'a', ...input } });
    const events: never[] = [];
    actor.on('*', (e) => events.push(e as never));
    actor.start();
    writer.track({ positionId: 'a', actor, seq: 0, cursor: 0, source: 's' });
    writer.stepped('a', 0, events.splice(0));
    await expect(writer.flush()).rejects.toThrow('crashed');
    actor.send({ type: 'PRICE', ts: 1, price: '101' });
    writer.stepped('a', 1, events.splice(0));
    sink.crashAfter = Infinity;
    await writer.flush();
    expect(sink.journal.map((e) => `${e.seq}:${e.event.type}`)).toEqual([
      '1:opened',
      '2:activated',
      '3:stopMoved',
    ]);
  });
});
