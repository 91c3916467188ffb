import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderSyncMachine } from '../../src/machines/orderSyncMachine.ts';
import type { FailureKind, SyncEvent } from '../../src/machines/orderSyncTypes.ts';
import { SETTINGS, startSync } from './orderSyncHarness.ts';

/**
 * The order-sync chart routes every state to the state its context is in. Walking it with
 * every kind of answer the venue can give must take each route a position can take in life;
 * this list is that model, and the walk must cover it.
 */
const EXPECTED = [
  'none→placing',
  'placing→resting',
  'placing→none',
  'placing→unknown',
  'placing→closing',
  'unknown→resting',
  'unknown→placing',
  'resting→placing',
  'placing→replacing',
  'replacing→resting',
  'replacing→unknown',
  'resting→cancelling',
  'cancelling→placing',
  'resting→closing',
  'closing→cancelling',
  'cancelling→closed',
  'closing→closed',
];

const KINDS: FailureKind[] = [
  'retryable',
  'rateLimited',
  'unknownOutcome',
  'notFound',
  'immediatelyTriggers',
  'tooManyStops',
  'noPosition',
];

type Step =
  | { kind: 'answer'; ok: boolean; failure: FailureKind; lookup: 'open' | 'gone' | 'cancelled' }
  | { kind: 'desired'; up: number }
  | { kind: 'clock'; dt: number }
  | { kind: 'exit' }
  | { kind: 'flat' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      ok: fc.boolean(),
      failure: fc.constantFrom(...KINDS),
      lookup: fc.constantFrom('open' as const, 'gone' as const, 'cancelled' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('desired' as const),
      up: fc.integer({ min: 0, max: 300 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('clock' as const),
      dt: fc.integer({ min: 0, max: 120_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'exit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flat' as const }) },
);

describe('order-sync statechart (model-based)', () => {
  it('declares exactly the states the model names', () => {
    expect(Object.keys(orderSyncMachine.root.states).sort()).toEqual([
      'cancelling',
      'closed',
      'closing',
      'none',
      'placing',
      'replacing',
      'resting',
      'unknown',
    ]);
  });

  it('takes every route of the model, and only routes between declared states', () => {
    const seed = Number(process.env['RATCHET_SEED'] ?? 424242);
    console.log(`order sync model seed ${seed}`);
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const t = startSync('long', { ...SETTINGS, minImprovementPercent: '0' });
        let ts = 1000;
        let cents = 9000;
        let ids = 0;
        const send = (e: SyncEvent) => {
          const from = t.state();
          t.send(e);
          const to = t.state();
          if (from !== to) seen.add(`${from}→${to}`);
        };
        send({ type: 'DESIRED', ts, stop: (cents / 100).toFixed(2) });
        for (const s of steps) {
          if (t.actor.getSnapshot().status !== 'active') break;
          const cmd = t.command();
          if (s.kind === 'answer' && cmd !== null) {
            ts += 10;
            if (!s.ok) send({ type: 'FAILED', ts, kind: s.failure, message: s.failure });
            else if (cmd.type === 'placeStop')
              send({
                type: 'PLACED',
                ts,
                clientId: cmd.clientId,
                id: `o${++ids}`,
                stopPrice: cmd.stopPrice,
                quantity: cmd.quantity,
              });
            else if (cmd.type === 'cancelStop') send({ type: 'CANCELLED', ts, id: cmd.id });
            else if (cmd.type === 'lookUpStop')
              send({
                type: 'LOOKED_UP',
                ts,
                clientId: cmd.clientId,
                status: s.lookup,
                order:
                  s.lookup === 'gone'
                    ? undefined
                    : { id: `o${++ids}`, stopPrice: (cents / 100).toFixed(2), quantity: '2' },
              });
            else send({ type: 'CLOSE_DONE', ts, clientId: cmd.clientId, filled: true });
          } else if (s.kind === 'desired') {
            cents += s.up;
            send({ type: 'DESIRED', ts, stop: (cents / 100).toFixed(2) });
          } else if (s.kind === 'clock') {
            ts += s.dt;
            send({ type: 'CLOCK', ts });
          } else if (s.kind === 'exit') {
            send({
              type: 'EXIT',
              ts,
              price: (cents / 100).toFixed(2),
              stop: (cents / 100 + 1).toFixed(2),
            });
          } else if (s.kind === 'flat') {
            send({ type: 'POSITION', ts, quantity: null });
          }
        }
      }),
      { seed, numRuns: 1500 },
    );
    const missing = EXPECTED.filter((route) => !seen.has(route));
    expect(missing).toEqual([]);
  });
});
