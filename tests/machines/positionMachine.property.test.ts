import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { Dec } from '../../src/domain/money.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import type {
  Distance,
  Policy,
  PositionEvent,
  Scenario,
  Side,
  Tick,
} from '../../src/domain/types.ts';

const TICKS = ['0.01', '0.5', '0.0001', '1'] as const;

interface Shape {
  side: Side;
  tick: string;
  entryTicks: number;
  steps: { dTicks: number; dt: number }[];
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  side: fc.constantFrom<Side>('long', 'short'),
  tick: fc.constantFrom(...TICKS),
  entryTicks: fc.integer({ min: 1000, max: 5000 }),
  steps: fc.array(
    fc.record({
      dTicks: fc.integer({ min: -40, max: 40 }),
      dt: fc.constantFrom(0, 1, 250, 1000, 5000),
    }),
    { minLength: 1, maxLength: 80 },
  ),
});

/** A random walk in whole ticks, kept within half and one and a half times the entry. */
function pathOf(shape: Shape): Tick[] {
  const tick = new Dec(shape.tick);
  let at = shape.entryTicks;
  let ts = 0;
  return shape.steps.map(({ dTicks, dt }) => {
    at = Math.min(
      Math.max(at + dTicks, Math.ceil(shape.entryTicks / 2)),
      Math.floor((shape.entryTicks * 3) / 2),
    );
    ts += dt;
    return { ts, price: tick.times(at).toFixed() };
  });
}

const pct = (values: string[]) => fc.constantFrom(...values);
const distanceArb = (symmetric: boolean): fc.Arbitrary<Distance> =>
  symmetric
    ? fc.oneof(
        fc.record({ price: pct(['0.5', '2', '7.5']) }),
        fc.record({ ticks: pct(['3', '12', '40']) }),
      )
    : fc.oneof(
        fc.record({ percent: pct(['0.3', '1', '2.5']) }),
        fc.record({ price: pct(['0.5', '2', '7.5']) }),
        fc.record({ ticks: pct(['3', '12', '40']) }),
      );

/** Random valid policies; `symmetric` leaves out the rules measured in percent of a moving price. */
const policyArb = (symmetric: boolean): fc.Arbitrary<Policy> =>
  fc
    .record(
      {
        initialStop: fc.oneof(fc.record({ percent: pct(['0.5', '2', '5']) })),
        activation: fc.oneof(
          fc.record({ immediate: fc.constant(true) }),
          fc.record({ profitPercent: pct(['0.2', '1']) }),
          fc.record({ afterSeconds: pct(['1', '30']), minProfitPercent: pct(['0', '0.1']) }),
          fc.record({ profitPercent: pct(['2']), afterSeconds: pct(['60']) }),
        ),
        trailing: fc.record(
          {
            base: distanceArb(symmetric),
            tiers: fc.boolean(),
            tierDistance: distanceArb(symmetric),
            momentum: symmetric
              ? fc.constant(undefined)
              : fc.option(
                  fc.record({
                    windowSeconds: pct(['2', '10']),
                    thresholdPercent: pct(['0.5', '1']),
                    releasePercent: pct(['0', '0.2']),
                    factor: pct(['0.25', '0.5', '1']),
                  }),
                  { nil: undefined },
                ),
          },
          { requiredKeys: ['base', 'tiers', 'tierDistance'] },
        ),
        breakeven: fc.record({
          triggerPercent: pct(['0.5', '1.5']),
          offsetPercent: pct(['0', '0.1']),
        }),
        elastic: fc.record({
          unit: fc.constantFrom<'quote' | 'percent'>('quote', 'percent'),
          engageAt: pct(['0.2', '1']),
          pullback: pct(['0.3', '0.5']),
          floor: pct(['0', '0.1']),
          minStep: pct(['0', '0.1']),
          bigJump: fc.option(
            fc.record({
              threshold: pct(['0.5', '1']),
              windowSeconds: pct(['3', '10']),
              margin: pct(['0.1', '0.2']),
            }),
            {
              nil: undefined,
            },
          ),
          peakLock: fc.option(fc.record({ trigger: pct(['2', '3']), lock: pct(['1', '1.5']) }), {
            nil: undefined,
          }),
        }),
      },
      { requiredKeys: ['initialStop'] },
    )
    .map(({ trailing, elastic, ...rest }) => {
      const policy: Record<string, unknown> = { ...rest };
      if (trailing !== undefined) {
        policy.trailing = {
          ...trailing.base,
          ...(trailing.tiers
            ? { tiers: [{ fromProfitPercent: '1', ...trailing.tierDistance }] }
            : {}),
          ...(trailing.momentum === undefined ? {} : { momentum: trailing.momentum }),
        };
      }
      if (elastic !== undefined) {
        const { bigJump, peakLock, ...core } = elastic;
        policy.elastic = {
          ...core,
          ...(bigJump ? { bigJump } : {}),
          ...(peakLock ? { peakLock } : {}),
        };
      }
      return policy as unknown as Policy;
    });

function scenarioOf(shape: Shape, policy: Policy, ticks: Tick[] = pathOf(shape)): Scenario {
  const entry = new Dec(shape.tick).times(shape.entryTicks).toFixed();
  return {
    market: { tickSize: shape.tick },
    position: { side: shape.side, entryPrice: entry, quantity: '3', openedAt: 0 },
    policy,
    ticks,
  };
}

const RUNS = { numRuns: 300 };

describe('position statechart invariants (random policies, random paths)', () => {
  it('never loosens the stop', () => {
    fc.assert(
      fc.property(shapeArb, policyArb(false), (shape, policy) => {
        const { events } = replayScenario(scenarioOf(shape, policy));
        let stop: Dec | undefined;
        for (const e of events) {
          if (e.type !== 'opened' && e.type !== 'stopMoved') continue;
          const next = new Dec(e.stop);
          if (stop !== undefined)
            expect(shape.side === 'long' ? next.gt(stop) : next.lt(stop)).toBe(true);
          stop = next;
        }
      }),
      RUNS,
    );
  });

  it('keeps the stop on the protective side of every accepted price unless the position exited', () => {
    fc.assert(
      fc.property(shapeArb, policyArb(false), (shape, policy) => {
        const scenario = scenarioOf(shape, policy);
        const actor = createActor(positionMachine, { input: scenario }).start();
        for (const tick of scenario.ticks) {
          if (actor.getSnapshot().status !== 'active') break;
          actor.send({ type: 'PRICE', ...tick });
          const snap = actor.getSnapshot();
          if (snap.status !== 'active') continue;
          const stop = new Dec(snap.context.stop);
          const price = new Dec(tick.price);
          expect(shape.side === 'long' ? stop.lt(price) : stop.gt(price)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('mirrors: a short on the mirrored path gives the mirrored events of the long', () => {
    const mirrorEvent = (e: PositionEvent, twice: Dec): PositionEvent => {
      const m = (v: string) => twice.minus(v).toFixed();
      const out: Record<string, unknown> = { ...e };
      if ('price' in e) out.price = m(e.price);
      if ('stop' in e) out.stop = m(e.stop);
      return out as unknown as PositionEvent;
    };
    fc.assert(
      fc.property(shapeArb, policyArb(true), (shape, policy) => {
        const long = scenarioOf({ ...shape, side: 'long' }, policy);
        const twice = new Dec(long.position.entryPrice).times(2);
        const mirroredTicks = long.ticks.map((t) => ({
          ts: t.ts,
          price: twice.minus(t.price).toFixed(),
        }));
        const short = scenarioOf({ ...shape, side: 'short' }, policy, mirroredTicks);
        const a = replayScenario(long).events.map((e) => mirrorEvent(e, twice));
        const b = replayScenario(short).events;
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });

  it('replays the same scenario twice with identical output', () => {
    fc.assert(
      fc.property(shapeArb, policyArb(false), (shape, policy) => {
        const scenario = scenarioOf(shape, policy);
        const first = replayScenario(scenario);
        const second = replayScenario(scenario);
        expect(second.events).toEqual(first.events);
        expect(second.summary).toEqual(first.summary);
      }),
      { numRuns: 100 },
    );
  });

  it('never lets a bad tick change the state', () => {
    const badTick = fc.oneof(
      fc
        .constantFrom('NaN', 'Infinity', 'abc', '', '-1', '0', '-0.0001')
        .map((price) => ({ price, back: false })),
      fc.constant({ price: '', back: true }),
    );
    fc.assert(
      fc.property(
        shapeArb,
        policyArb(false),
        fc.array(fc.tuple(fc.nat(), badTick), { maxLength: 10 }),
        (shape, policy, bads) => {
          const clean = scenarioOf(shape, policy);
          const actor = createActor(positionMachine, { input: clean }).start();
          const rejected: PositionEvent[] = [];
          actor.on('tickRejected', (e) => rejected.push(e));
          const inserts = new Map(bads.map(([at, bad]) => [at % clean.ticks.length, bad]));
          clean.ticks.forEach((tick, i) => {
            const bad = inserts.get(i);
            if (bad !== undefined && i > 0 && actor.getSnapshot().status === 'active') {
              const before = JSON.stringify(actor.getSnapshot());
              const lastTs = actor.getSnapshot().context.lastTs ?? 0;
              const price = bad.back ? tick.price : bad.price;
              const ts = bad.back ? lastTs - 1 : tick.ts;
              if (bad.back && actor.getSnapshot().context.lastTs === null) return;
              const count = rejected.length;
              actor.send({ type: 'PRICE', ts, price });
              expect(JSON.stringify(actor.getSnapshot())).toBe(before);
              expect(rejected.length).toBe(count + 1);
            }
            if (actor.getSnapshot().status === 'active') actor.send({ type: 'PRICE', ...tick });
          });
          expect(actor.getSnapshot().context).toEqual(replayScenario(clean).context);
        },
      ),
      RUNS,
    );
  });
});
