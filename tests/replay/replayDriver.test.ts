import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { PositionEvent } from '../../src/domain/types.ts';
import type { InspectionRecord } from '../../src/inspection/inspectionRecord.ts';
import { createInspectionTap } from '../../src/inspection/inspectionTap.ts';
import { PositionStepError } from '../../src/replay/positionStepError.ts';
import { ReplayDriver, type ReplayPersistence } from '../../src/replay/replayDriver.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

/** A persistence hook that commits every step at once and remembers what each commit held. */
function everyStep(): ReplayPersistence & { commits: PositionEvent[][]; recorded: number[] } {
  let pending: PositionEvent[] = [];
  const hook = {
    commits: [] as PositionEvent[][],
    recorded: [] as number[],
    track: () => undefined,
    stepped: (cursor: number, events: readonly PositionEvent[]) => {
      hook.recorded.push(cursor);
      pending.push(...events);
      return true;
    },
    commit: () => {
      if (pending.length > 0) hook.commits.push(pending);
      pending = [];
      return Promise.resolve();
    },
  };
  return hook;
}

describe('ReplayDriver', () => {
  it('serves inspection and persistence hooks together, with the events of the plain replay', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'sete-bigjump.json'));
    const records: InspectionRecord[] = [];
    const tap = createInspectionTap((r) => records.push(r));
    const persistence = everyStep();
    const driver = new ReplayDriver(
      {
        input: {
          id: 'p',
          market: scenario.market,
          position: scenario.position,
          policy: scenario.policy,
        },
      },
      { inspect: tap.inspect, attach: tap.attach, persistence },
    );
    await driver.sendBatches([scenario.ticks]);
    const end = driver.finish();
    const plain = replayScenario(scenario);
    expect(persistence.commits.flat()).toEqual(plain.events);
    expect(records.flatMap((r) => r.events)).toEqual(plain.events);
    // The opening, then one record per tick sent; nothing after the exit.
    expect(records).toHaveLength(plain.ticksProcessed + 1);
    expect(persistence.recorded).toEqual([0, 1, 2, 3, 4]);
    expect(end).toMatchObject({ open: false, summary: plain.summary });
  });

  it('sends deliveries of ticks with the events, cursor and count of one tick a step', async () => {
    for (const file of ['sete-bigjump.json', 'short-tiers-momentum.json', 'random-303.json']) {
      const scenario = await loadScenarioFile(join(SPEC_DIR, file));
      const plain = replayScenario(scenario);
      for (const size of [1, 2, 5, 1000]) {
        const events: PositionEvent[] = [];
        const driver = new ReplayDriver(
          { input: scenario },
          { onEvent: (e) => events.push(e), deliveries: size },
        );
        await driver.sendBatches([scenario.ticks]);
        const end = driver.finish();
        expect(events, `${file} in deliveries of ${size}`).toEqual(plain.events);
        expect(end.summary).toEqual(plain.summary);
        // An exit mid-delivery: the ticks after it were not taken.
        expect(driver.ticksSent).toBe(plain.ticksProcessed);
        expect(driver.cursor).toBe(plain.ticksProcessed);
      }
    }
  });

  it('refuses deliveries for an inspected or persisted replay, which record each tick', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'sete-bigjump.json'));
    const tap = createInspectionTap(() => undefined);
    expect(
      () => new ReplayDriver({ input: scenario }, { inspect: tap.inspect, deliveries: 8 }),
    ).toThrow(/sends one tick a step/);
    expect(
      () => new ReplayDriver({ input: scenario }, { persistence: everyStep(), deliveries: 8 }),
    ).toThrow(/sends one tick a step/);
  });

  it('refuses to drive persistence synchronously', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'sete-bigjump.json'));
    const driver = new ReplayDriver({ input: scenario }, { persistence: everyStep() });
    expect(() => driver.sendAll(scenario.ticks)).toThrow(/drive it with sendBatches/);
  });

  it('throws PositionStepError when the machine fails, instead of failing out of band', () => {
    const start = () =>
      new ReplayDriver({
        input: {
          id: 'x',
          market: { tickSize: 'abc' },
          position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
          policy: { initialStop: { percent: '2' } },
        },
      });
    expect(start).toThrow(PositionStepError);
    expect(start).toThrow(
      /^position x failed when started: .*Invalid argument: abc\. Nothing of that step was saved\.$/,
    );
  });
});
