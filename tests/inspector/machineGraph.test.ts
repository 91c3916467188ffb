import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { allStates, machineGraph } from '../../src/inspector/machineGraph.ts';
import { edgeLabelLines, layoutMachine } from '../../src/inspector/machineLayout.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';

const SPEC_STATES = [
  'open',
  'distance',
  'off',
  'armed',
  'trailing',
  'normal',
  'accelerated',
  'breakeven',
  'waiting',
  'reached',
  'elastic',
  'engaged',
  'peakLocked',
  'protection',
  'exited',
];

describe('machine graph', () => {
  it('holds every state the SPEC names, with regions and the final state typed', () => {
    const graph = machineGraph(positionMachine);
    const states = allStates(graph);
    for (const key of SPEC_STATES) expect(states.map((s) => s.key)).toContain(key);
    expect(states.find((s) => s.id === 'position.open')?.type).toBe('parallel');
    expect(states.filter((s) => s.region).map((s) => s.key)).toEqual([
      'distance',
      'breakeven',
      'elastic',
      'protection',
    ]);
    expect(states.find((s) => s.id === 'position.exited')?.type).toBe('final');
  });

  it('includes the eventless transitions that toDirectedGraph leaves out', () => {
    const graph = machineGraph(positionMachine);
    const always = graph.edges
      .filter((e) => e.event === 'always')
      .map((e) => `${e.source}→${e.target}`);
    expect(always).toContain('position.open.distance.off→position.open.distance.armed');
    expect(always).toContain('position.open.elastic.off→position.open.elastic.waiting');
  });

  it('follows the machine it is given: a new state and transition appear without any drawing change', async () => {
    const machine = createMachine({
      id: 'toy',
      initial: 'idle',
      states: {
        idle: { on: { GO: { target: 'busy', guard: 'ready' } } },
        busy: { always: { target: 'done' } },
        done: { type: 'final' },
      },
    });
    const drawing = await layoutMachine(machineGraph(machine));
    expect(drawing.states.map((s) => s.key)).toEqual(['toy', 'idle', 'busy', 'done']);
    expect(drawing.edges.map((e) => `${e.event}:${e.guard ?? ''}`)).toEqual([
      'GO:ready',
      'always:',
    ]);
  });

  it('lays every state inside its parent and gives every arrow a route and a label box', async () => {
    const drawing = await layoutMachine(machineGraph(positionMachine));
    const byId = new Map(drawing.states.map((s) => [s.id, s]));
    for (const s of drawing.states) {
      const parent = s.parent === null ? undefined : byId.get(s.parent);
      if (parent === undefined) continue;
      expect(s.x, s.id).toBeGreaterThanOrEqual(parent.x);
      expect(s.y, s.id).toBeGreaterThanOrEqual(parent.y);
      expect(s.x + s.width, s.id).toBeLessThanOrEqual(parent.x + parent.width + 0.5);
      expect(s.y + s.height, s.id).toBeLessThanOrEqual(parent.y + parent.height + 0.5);
    }
    for (const e of drawing.edges) {
      expect(e.points.length, e.edgeId).toBeGreaterThanOrEqual(2);
      expect(e.label.width, e.edgeId).toBeGreaterThan(0);
    }
  });

  it('breaks a combined guard into one operand a line', () => {
    expect(
      edgeLabelLines({
        id: 'x',
        source: 'a',
        targets: ['b'],
        event: 'tick.trail',
        guard: 'and(isPriceTick, elasticEngages)',
        actions: [],
      }),
    ).toEqual(['tick.trail', '[isPriceTick ∧', ' elasticEngages]']);
  });
});
