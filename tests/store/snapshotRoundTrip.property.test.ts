import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { restorePosition } from '../../src/store/restorePosition.ts';
import { Dec } from '../../src/domain/money.ts';
import type { Policy, PositionEvent, Scenario, Side } from '../../src/domain/types.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { openPositionStore, type PositionStore } from '../../src/store/positionStore.ts';

const pick = (...values: string[]) => fc.constantFrom(...values);

/** Policies that exercise every part of the context a snapshot must carry. */
const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    initialStop: fc.record({ percent: pick('1.5', '3') }),
    activation: fc.oneof(
      fc.record({ profitPercent: pick('0.25', '1') }),
      fc.record({ afterSeconds: pick('2.5', '10') }),
      fc.constant(undefined),
    ),
    trailingPercent: pick('0.35', '1.25'),
    tiers: fc.boolean(),
    momentum: fc.boolean(),
    breakeven: fc.boolean(),
    elasticUnit: fc.option(fc.constantFrom<'quote' | 'percent'>('quote', 'percent'), {
      nil: undefined,
    }),
    bigJump: fc.boolean(),
    peakLock: fc.boolean(),
  })
  .map((r) => {
    const policy: Record<string, unknown> = {
      initialStop: r.initialStop,
      trailing: {
        percent: r.trailingPercent,
        ...(r.tiers ? { tiers: [{ fromProfitPercent: '1.5', percent: '0.5' }] } : {}),
        ...(r.momentum
          ? {
              momentum: {
                windowSeconds: '7.5',
                thresholdPercent: '0.4',
                releasePercent: '0.1',
                factor: '0.5',
              },
            }
          : {}),
      },
    };
    if (r.activation !== undefined) policy.activation = r.activation;
    if (r.breakeven) policy.breakeven = { triggerPercent: '0.8', offsetPercent: '0.05' };
    if (r.elasticUnit !== undefined) {
      policy.elastic = {
        unit: r.elasticUnit,
        engageAt: '0.2',
        pullback: '0.35',
        floor: '0',
        minStep: '0.05',
        ...(r.bigJump ? { bigJump: { threshold: '0.6', windowSeconds: '5', margin: '0.15' } } : {}),
        ...(r.peakLock ? { peakLock: { trigger: '2.5', lock: '1.75' } } : {}),
      };
    }
    return policy as unknown as Policy;
  });

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    side: fc.constantFrom<Side>('long', 'short'),
    policy: policyArb,
    moves: fc.array(
      fc.record({ d: fc.integer({ min: -30, max: 45 }), dt: fc.constantFrom(0, 300, 1000, 4000) }),
      {
        minLength: 1,
        maxLength: 60,
      },
    ),
  })
  .map(({ side, policy, moves }) => {
    const sign = side === 'long' ? 1 : -1;
    let at = 100_000; // in 0.001 units: entry 100
    let ts = 0;
    const ticks = moves.map(({ d, dt }) => {
      at += sign * d;
      ts += dt;
      return { ts, price: new Dec(at).div(1000).toFixed() };
    });
    return {
      market: { tickSize: '0.001' },
      position: { side, entryPrice: '100', quantity: '2.5', openedAt: 0 },
      policy,
      ticks,
    };
  });

let store: PositionStore;
beforeAll(async () => {
  store = await openPositionStore(mkdtempSync(join(tmpdir(), 'ratchet-roundtrip-')));
});
afterAll(async () => {
  await store.close();
});

describe('snapshot round trip through the store', () => {
  it('restores the exact context and state, and the restored actor continues exactly like the original', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.nat(), async (scenario, cutSeed) => {
        const cut = cutSeed % (scenario.ticks.length + 1);
        const positionId = `p${n++}`;
        const original = createActor(positionMachine, { input: { id: positionId, ...scenario } });
        const seen: PositionEvent[] = [];
        original.on('*', (e) => seen.push(e));
        original.start();
        const ticks = scenario.ticks;
        for (const tick of ticks.slice(0, cut)) {
          if (original.getSnapshot().status === 'active') original.send({ type: 'PRICE', ...tick });
        }

        await store.commit([
          {
            positionId,
            seq: seen.length,
            cursor: cut,
            source: 'digest',
            snapshot: original.getPersistedSnapshot(),
            entries: [],
          },
        ]);
        const envelope = await store.loadEnvelope(positionId);
        if (envelope === undefined) throw new Error('envelope missing');
        const restored = restorePosition(positionId, envelope.snapshot);
        const after: PositionEvent[] = [];
        restored.on('*', (e) => after.push(e));
        restored.start();
        expect(after).toEqual([]); // `opened` is not announced again
        expect(restored.getSnapshot().value).toEqual(original.getSnapshot().value);
        expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
        expect(envelope.cursor).toBe(cut);

        const tail: PositionEvent[] = [];
        original.on('*', (e) => tail.push(e));
        for (const tick of ticks.slice(cut)) {
          if (original.getSnapshot().status !== 'active') break;
          original.send({ type: 'PRICE', ...tick });
          restored.send({ type: 'PRICE', ...tick });
        }
        expect(after).toEqual(tail);
        expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
        original.stop();
        restored.stop();
      }),
      { numRuns: 150 },
    );
  });
});
