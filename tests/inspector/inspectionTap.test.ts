import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import { machineGraph, allStates } from '../../src/inspector/machineGraph.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { SPEC } from './helpers.ts';

describe('inspection tap', () => {
  it('records the start and one step per tick sent, with the same SPEC events as a replay', async () => {
    const scenario = await loadScenarioFile(join(SPEC, 'sete-bigjump.json'));
    const { records } = inspectScenario('p', 'sete', scenario);
    const replay = replayScenario(scenario);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    expect(records.length).toBe(replay.ticksProcessed + 1);
    expect(records[0]?.input).toEqual({ type: 'start' });
    expect(records.flatMap((r) => r.events)).toEqual(replay.events);
    expect(records.at(-1)?.status).toBe('done');
    expect(records.at(-1)?.active).toContain('position.exited');
  });

  it('names the eventless transitions the start takes and the step that activates trailing', async () => {
    const scenario = await loadScenarioFile(join(SPEC, 'breakeven-time-activation.json'));
    const { records } = inspectScenario('p', 'be', scenario);
    expect(records[0]?.transitions.map((t) => t.id)).toContain(
      'position.open.distance.off:always:0',
    );
    const activation = records.find((r) => r.events.some((e) => e.type === 'activated'));
    expect(activation).toBeDefined();
    const taken = activation?.transitions.find((t) => t.source === 'position.open.distance.armed');
    expect(taken).toMatchObject({
      event: 'tick.activate',
      guard: 'activationHolds',
      targets: ['position.open.distance.trailing'],
    });
    expect(activation?.active).toContain('position.open.distance.trailing');
    const before = records[(activation?.seq ?? 0) - 1];
    expect(before?.active).toContain('position.open.distance.armed');
  });

  it('takes only transitions the machine graph draws, in every example', async () => {
    const graph = machineGraph(positionMachine);
    const drawn = new Set([
      ...graph.edges.map((e) => e.id),
      ...allStates(graph).flatMap((s) => s.internal.map((t) => t.id)),
    ]);
    const states = new Set(allStates(graph).map((s) => s.id));
    for (const name of [
      'short-tiers-momentum',
      'sete-without-bigjump',
      'bad-ticks-and-ticks-distance',
      'random-606',
    ]) {
      const { records } = inspectScenario(
        name,
        name,
        await loadScenarioFile(join(SPEC, `${name}.json`)),
      );
      for (const record of records) {
        for (const t of record.transitions) expect(drawn, `${name} #${record.seq}`).toContain(t.id);
        for (const id of record.active) expect(states).toContain(id);
      }
    }
  });

  it('records nothing for stopping an actor that is still open', async () => {
    const scenario = await loadScenarioFile(join(SPEC, 'sete-without-bigjump.json'));
    const { records } = inspectScenario('p', 'open', scenario);
    expect(records.at(-1)?.status).toBe('active');
    expect(records.length).toBe(scenario.ticks.length + 1);
  });

  it('summarises the context: peak %, the lock in its unit, the window length', async () => {
    const scenario = await loadScenarioFile(join(SPEC, 'sete-bigjump.json'));
    const { records } = inspectScenario('p', 'sete', scenario);
    expect(records[1]?.context).toMatchObject({
      stop: '100.0336',
      stopSource: 'elastic',
      lockInUnit: '0.336',
      peakPercent: '0.056',
      windowSize: 1,
    });
  });
});
