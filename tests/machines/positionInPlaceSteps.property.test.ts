import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, type AnyActor, type AnyStateMachine, type InspectionEvent } from 'xstate';
import {
  describeTransition,
  type TransitionLike,
} from '../../src/inspection/inspectionTransition.ts';
import { createPositionChart, positionMachine } from '../../src/machines/positionMachine.ts';
import { differentialCaseArb, type DifferentialCase } from '../oracle/scenarioArbitrary.ts';

const seed = Number(process.env.RATCHET_TEST_SEED ?? 20_261_127);
const numRuns = Number(process.env.RATCHET_TEST_RUNS ?? 600);

/** The statechart with every step through XState's full macrostep. */
const chart = createPositionChart();

/** Returns the restored snapshot's fields as text: active state nodes, value, tags, status. */
function describeSnapshot(snapshot: unknown): string {
  const s = snapshot as { _nodes: { id: string }[]; tags: Set<string>; [key: string]: unknown };
  return JSON.stringify([
    s._nodes.map((n) => n.id),
    [...s.tags],
    Object.keys(s),
    s.value,
    s.status,
    s.context,
    s.historyValue,
    s.children,
  ]);
}

/**
 * Returns everything an observer of the actor sees, in order: each inspection event (microsteps
 * with the transitions they took, actions with their params, snapshots), each emitted event,
 * each snapshot `getSnapshot` returns and each persisted snapshot, as text. Halfway through the
 * inputs the actor is persisted and a restored one takes over.
 */
function observe(machine: AnyStateMachine, c: DifferentialCase): string[] {
  const seen: string[] = [];
  const inspect = (e: InspectionEvent) => {
    if (e.type === '@xstate.microstep') {
      const taken = (e as unknown as { _transitions: TransitionLike[] })._transitions;
      const ids = taken.map((t) => describeTransition(t).id);
      seen.push(`microstep ${JSON.stringify(e.event)} ${JSON.stringify(e.snapshot)} ${ids.join()}`);
    } else if (e.type === '@xstate.action') {
      seen.push(`action ${JSON.stringify(e.action)}`);
    } else if (e.type === '@xstate.snapshot') {
      seen.push(`snapshot ${JSON.stringify(e.event)} ${JSON.stringify(e.snapshot)}`);
    } else if (e.type === '@xstate.event') {
      seen.push(`event ${JSON.stringify(e.event)}`);
    }
  };
  const input = { market: c.market, position: c.position, policy: c.policy };
  const watch = (actor: AnyActor) => {
    actor.on('*', (e: unknown) => seen.push(`emitted ${JSON.stringify(e)}`));
    actor.subscribe((s: unknown) => seen.push(`observed ${(s as { status: string }).status}`));
    return actor.start();
  };
  let actor = watch(createActor(machine, { input, inspect }));
  seen.push(`opened ${describeSnapshot(actor.getSnapshot())}`);
  const half = Math.floor(c.inputs.length / 2);
  for (const [i, event] of c.inputs.entries()) {
    if (i === half) {
      const persisted = actor.getPersistedSnapshot();
      actor.stop();
      actor = watch(createActor(machine, { input, inspect, snapshot: persisted }));
      seen.push(`restored ${describeSnapshot(actor.getSnapshot())}`);
    }
    const before = actor.getSnapshot() as { status: string };
    if (before.status !== 'active') break;
    actor.send(event);
    const snapshot = actor.getSnapshot() as { value: unknown; status: string; context: unknown };
    seen.push(`value ${JSON.stringify(snapshot.value)} ${snapshot.status}`);
    seen.push(`context ${JSON.stringify(snapshot.context)}`);
    seen.push(`persisted ${JSON.stringify(actor.getPersistedSnapshot())}`);
  }
  actor.stop();
  return seen;
}

describe('position machine, openings and steps taken directly', () => {
  it(`shows every observer what XState's own opening and macrosteps show (seed ${seed}, ${numRuns} cases)`, () => {
    let inPlace = 0;
    fc.assert(
      fc.property(differentialCaseArb, (c) => {
        const expected = observe(chart, c);
        const actual = observe(positionMachine, c);
        expect(actual).toEqual(expected);
        inPlace += expected.filter((line) => line.startsWith('microstep {"type":"PRICE"')).length;
      }),
      { seed, numRuns },
    );
    // The comparison must cover the shortcut, not only the steps it hands to XState.
    expect(inPlace).toBeGreaterThan(numRuns);
  });

  it('takes the transition XState selects, so a restored actor continues alike', () => {
    const input = {
      market: { tickSize: '0.01' },
      position: { side: 'long' as const, entryPrice: '100', quantity: '1', openedAt: 0 },
      policy: { initialStop: { percent: '5' }, trailing: { percent: '1' } },
    };
    const fast = createActor(positionMachine, { input }).start();
    fast.send({ type: 'PRICE', ts: 1, price: '100.5' });
    fast.send({ type: 'PRICE', ts: 2, price: '101' });
    const persisted = fast.getPersistedSnapshot();
    const restored = createActor(chart, { snapshot: persisted, input }).start();
    restored.send({ type: 'PRICE', ts: 3, price: '102' });
    fast.send({ type: 'PRICE', ts: 3, price: '102' });
    expect(fast.getPersistedSnapshot()).toEqual(restored.getPersistedSnapshot());
    expect(fast.getSnapshot().context.stop).toBe('100.98');
  });
});
