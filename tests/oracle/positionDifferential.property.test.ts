import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { PositionEvent, Tick } from '../../src/domain/types.ts';
import type { PositionContext } from '../../src/machines/positionContext.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { OraclePosition } from './oraclePosition.ts';
import { differentialCaseArb, type DifferentialCase } from './scenarioArbitrary.ts';

/** Every event line kind (type, and reason, source or why), each of which the cases must produce. */
const EVERY_KIND = [
  'opened',
  'activated.immediate',
  'activated.price',
  'activated.profit',
  'activated.time',
  'breakevenReached',
  'accelerated',
  'decelerated',
  'elasticEngaged',
  'bigJumpLocked',
  'peakLocked',
  'stopMoved.trailing',
  'stopMoved.elastic',
  'stopMoved.breakeven',
  'exited.initial',
  'exited.trailing',
  'exited.elastic',
  'exited.breakeven',
  'tickRejected.not a number',
  'tickRejected.not positive',
  'tickRejected.out of order',
];

const seed = Number(process.env.RATCHET_TEST_SEED ?? 20_261_127);
const numRuns = Number(process.env.RATCHET_TEST_RUNS ?? 2500);

/** A final context without its last verdict (which says where in a delivery it stood). */
type Facts = Omit<PositionContext, 'step'>;

/** Returns the events the position machine emits for the case's inputs, one event per send. */
function machineEvents(c: DifferentialCase): { events: PositionEvent[]; stop: string } {
  const { events, stop } = machineRun(c);
  return { events, stop };
}

/** The same run, with the facts the position ends with. */
function machineRun(c: DifferentialCase): { events: PositionEvent[]; stop: string; facts: Facts } {
  const actor = createActor(positionMachine, {
    input: { market: c.market, position: c.position, policy: c.policy },
  });
  const events: PositionEvent[] = [];
  actor.on('*', (e) => events.push(e));
  actor.start();
  for (const input of c.inputs) {
    if (actor.getSnapshot().status !== 'active') break;
    actor.send(input);
  }
  const facts: Facts & { step?: unknown } = { ...actor.getSnapshot().context };
  delete facts.step;
  actor.stop();
  return { events, stop: facts.stop, facts };
}

/**
 * Returns the events the position machine emits when the case's prices arrive in deliveries
 * of up to `size` ticks (PRICES events; a CLOCK ends a delivery and is sent on its own).
 */
function deliveredEvents(
  c: DifferentialCase,
  size: number,
): { events: PositionEvent[]; stop: string; facts: Facts } {
  const actor = createActor(positionMachine, {
    input: { market: c.market, position: c.position, policy: c.policy },
  });
  const events: PositionEvent[] = [];
  actor.on('*', (e) => events.push(e));
  actor.start();
  let batch: Tick[] = [];
  const flush = () => {
    if (batch.length > 0 && actor.getSnapshot().status === 'active')
      actor.send({ type: 'PRICES', ticks: batch });
    batch = [];
  };
  for (const input of c.inputs) {
    if (input.type === 'PRICE') {
      batch.push({ ts: input.ts, price: input.price });
      if (batch.length >= size) flush();
      continue;
    }
    flush();
    if (actor.getSnapshot().status === 'active') actor.send(input);
  }
  flush();
  const facts: Facts & { step?: unknown } = { ...actor.getSnapshot().context };
  delete facts.step;
  actor.stop();
  return { events, stop: facts.stop, facts };
}

function oracleEvents(c: DifferentialCase): { events: PositionEvent[]; stop: string } {
  const oracle = new OraclePosition(c.market, c.position, c.policy);
  for (const input of c.inputs) {
    if (input.type === 'PRICE') oracle.price(input.ts, input.price);
    else oracle.clock(input.ts);
  }
  return { events: oracle.events, stop: oracle.stop.toFixed() };
}

describe('the position machine against the decimal oracle', () => {
  it('emits the oracle’s events, line for line, on random positions, policies and paths', () => {
    console.log(
      `position differential seed ${seed}, ${numRuns} runs (RATCHET_TEST_SEED / RATCHET_TEST_RUNS to change)`,
    );
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(differentialCaseArb, (c) => {
        const expected = oracleEvents(c);
        const actual = machineEvents(c);
        for (const e of expected.events) {
          const key = `${e.type}${'reason' in e ? `.${e.reason}` : ''}${'source' in e ? `.${e.source}` : ''}${'why' in e ? `.${e.why}` : ''}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
        expect(actual).toEqual(expected);
      }),
      { seed, numRuns },
    );
    // The cases must exercise every rule and every outcome, not just open positions.
    const kinds = [...EVERY_KIND].filter((k) => (seen.get(k) ?? 0) < Math.max(3, numRuns / 500));
    console.log(JSON.stringify(Object.fromEntries(seen)));
    expect(kinds, JSON.stringify(Object.fromEntries(seen))).toEqual([]);
  });

  it('emits the same events when the ticks arrive in deliveries (PRICES)', () => {
    fc.assert(
      fc.property(differentialCaseArb, fc.integer({ min: 1, max: 25 }), (c, size) => {
        const delivered = deliveredEvents(c, size);
        expect({ events: delivered.events, stop: delivered.stop }).toEqual(oracleEvents(c));
        // And the same facts as one tick a step: the window trimmed, the prices, the lock.
        expect(delivered.facts).toEqual(machineRun(c).facts);
      }),
      { seed, numRuns },
    );
  });
});
