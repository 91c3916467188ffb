import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { replayThroughLanes } from '../../src/replay/replayThroughLanes.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import { LANES_DEFAULTS } from '../../src/config/lanesSchema.ts';
import { Dec } from '../../src/domain/money.ts';
import type { Scenario, Tick } from '../../src/domain/types.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

describe('replay through lanes', () => {
  it.each(readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json')))(
    'with 0 ms lanes equals the plain replay: %s',
    async (file) => {
      const scenario = await loadScenarioFile(join(SPEC_DIR, file));
      const plain = replayScenario(scenario);
      const laned = replayThroughLanes(scenario, { ...LANES_DEFAULTS, fastMs: 0, normalMs: 0 });
      expect(laned.events).toEqual(plain.events);
      expect(laned.summary).toEqual(plain.summary);
    },
  );

  const tickArb = (entry: number) =>
    fc
      .array(fc.tuple(fc.constantFrom(0, 1, 100, 700, 2000), fc.integer({ min: -60, max: 60 })), {
        minLength: 1,
        maxLength: 120,
      })
      .map((steps) => {
        let ts = 0;
        let at = entry * 100;
        return steps.map(([dt, d]): Tick => {
          ts += dt;
          at = Math.max(1, at + d);
          return { ts, price: new Dec(at).div(100).toFixed() };
        });
      });

  const scenarioOf = (ticks: Tick[], side: 'long' | 'short'): Scenario => ({
    market: { tickSize: '0.01' },
    position: { side, entryPrice: '100', quantity: '2', openedAt: 0 },
    policy: {
      initialStop: { percent: '3' },
      activation: { profitPercent: '0.5' },
      trailing: {
        percent: '1',
        momentum: {
          windowSeconds: '2',
          thresholdPercent: '0.8',
          releasePercent: '0.2',
          factor: '0.5',
        },
      },
      breakeven: { triggerPercent: '0.8', offsetPercent: '0.1' },
      elastic: { unit: 'quote', engageAt: '1', pullback: '0.4', floor: '0', minStep: '0.2' },
    },
    ticks,
  });

  it('property: with 0 ms lanes every decision equals the tick-by-tick replay', () => {
    fc.assert(
      fc.property(
        tickArb(100),
        fc.constantFrom<'long' | 'short'>('long', 'short'),
        (ticks, side) => {
          const scenario = scenarioOf(ticks, side);
          expect(
            replayThroughLanes(scenario, { ...LANES_DEFAULTS, fastMs: 0, normalMs: 0 }).events,
          ).toEqual(replayScenario(scenario).events);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: with any lane interval every window high and low reaches the actor', () => {
    fc.assert(
      fc.property(
        tickArb(100),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 3000 }),
        (ticks, fastMs, normalMs) => {
          // No stop that could end the position early: the whole path must reach the actor.
          const scenario: Scenario = {
            ...scenarioOf(ticks, 'long'),
            policy: { initialStop: { price: '0.01' }, trailing: { price: '99' } },
          };
          const laned = replayThroughLanes(scenario, { ...LANES_DEFAULTS, fastMs, normalMs });
          const plain = replayScenario(scenario);
          // The peak (highest accepted price) and every stop the trailing rule reaches depend only
          // on window highs: they must be identical with and without lanes.
          expect(laned.context.peak).toBe(plain.context.peak);
          expect(laned.summary.finalStop).toBe(plain.summary.finalStop);
          expect(laned.ticksProcessed).toBeLessThanOrEqual(plain.ticksProcessed);
        },
      ),
      { numRuns: 150 },
    );
  });

  const simple = (ticks: [number, string][], openedAt = 0): Scenario => ({
    market: { tickSize: '0.01' },
    position: { side: 'long', entryPrice: '100', quantity: '1', openedAt },
    policy: { initialStop: { percent: '2' }, trailing: { percent: '0.5' } },
    ticks: ticks.map(([ts, price]) => ({ ts, price })),
  });

  it('runs on the scenario clock however large its timestamps (epoch milliseconds)', () => {
    // Virtual time starts at the first tick: from 0 it would step the lane's windows through
    // 1.7e12 ms. Virtual time is capped at a day here, so that mistake fails instead of
    // hanging; the same path from 0 must decide the same, shifted.
    const flush = Object.getOwnPropertyDescriptor(VirtualTimeScheduler.prototype, 'flush')
      ?.value as (this: VirtualTimeScheduler) => void;
    const capped = vi.spyOn(VirtualTimeScheduler.prototype, 'flush').mockImplementation(function (
      this: VirtualTimeScheduler,
    ) {
      this.maxFrames = 86_400_000;
      flush.call(this);
    });
    onTestFinished(() => capped.mockRestore());
    const t0 = 1_700_000_000_000;
    const path: [number, string][] = [
      [1000, '100.5'],
      [2000, '101'],
      [9000, '99'],
    ];
    const lanes = { ...LANES_DEFAULTS, fastMs: 300, normalMs: 3000 };
    const epoch = replayThroughLanes(
      simple(
        path.map(([ts, price]) => [t0 + ts, price]),
        t0,
      ),
      lanes,
    );
    const fromZero = replayThroughLanes(simple(path), lanes);
    expect(epoch.events).toEqual(fromZero.events.map((e) => ({ ...e, ts: e.ts + t0 })));
    expect(epoch.summary).toEqual({
      ...fromZero.summary,
      exitTs: (fromZero.summary.exitTs ?? 0) + t0,
    });
    expect(epoch.summary.exited).toBe(true);
  });

  it('reports a rejected tick after the events of the ticks before it, never after the exit', () => {
    const scenario = simple([
      [1000, '101'],
      [1500, '-1'],
      [2000, '101.2'],
      [2500, '99'],
      [3000, 'NaN'],
    ]);
    const types = replayThroughLanes(scenario, {
      ...LANES_DEFAULTS,
      fastMs: 3000,
      normalMs: 3000,
    }).events.map((e) => `${e.type}@${e.ts}`);
    expect(types).toEqual(replayScenario(scenario).events.map((e) => `${e.type}@${e.ts}`));
    expect(types).toEqual([
      'opened@0',
      'activated@1000',
      'stopMoved@1000',
      'tickRejected@1500',
      'stopMoved@2000',
      'exited@2500',
    ]);
  });

  it('delivers fewer ticks on slower lanes, and the stop-crossing tick at once', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'random-101.json'));
    const laned = replayThroughLanes(scenario, { ...LANES_DEFAULTS, fastMs: 300, normalMs: 3000 });
    const plain = replayScenario(scenario);
    expect(laned.ticksProcessed).toBeLessThan(plain.ticksProcessed);
    // The exit is on the crossing tick itself: same ts and price as tick by tick.
    expect(laned.summary.exitTs).toBe(plain.summary.exitTs);
    expect(laned.summary.exitPrice).toBe(plain.summary.exitPrice);
  });
});
