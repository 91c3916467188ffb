import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncCommand, SyncEvent } from '../../src/machines/orderSyncTypes.ts';
import { SETTINGS, startSync } from './orderSyncHarness.ts';

type Outcome = 'ok' | 'refused' | 'lost' | 'rateLimited';

interface FakeStop {
  id: string;
  clientId: string;
  stopPrice: string;
  quantity: string;
  open: boolean;
}

/**
 * A venue that keeps our stops and answers each command with the outcome drawn for it: done
 * and acknowledged, refused before acting, done with the answer lost, or rate-limited.
 */
class FakeVenue {
  readonly stops = new Map<string, FakeStop>();
  private next = 1;

  answer(cmd: SyncCommand, outcome: Outcome, ts: number): SyncEvent {
    if (outcome === 'refused') return { type: 'FAILED', ts, kind: 'retryable', message: '503' };
    if (outcome === 'rateLimited')
      return { type: 'FAILED', ts, kind: 'rateLimited', message: '429', retryAfterMs: 1000 };
    const lost = outcome === 'lost';
    switch (cmd.type) {
      case 'placeStop': {
        const id = `o${this.next++}`;
        this.stops.set(id, {
          id,
          clientId: cmd.clientId,
          stopPrice: cmd.stopPrice,
          quantity: cmd.quantity,
          open: true,
        });
        if (lost) return { type: 'FAILED', ts, kind: 'unknownOutcome', message: 'timeout' };
        return {
          type: 'PLACED',
          ts,
          clientId: cmd.clientId,
          id,
          stopPrice: cmd.stopPrice,
          quantity: cmd.quantity,
        };
      }
      case 'cancelStop': {
        const stop = this.stops.get(cmd.id);
        if (stop === undefined || !stop.open)
          return { type: 'FAILED', ts, kind: 'notFound', message: '-2011' };
        stop.open = false;
        if (lost) return { type: 'FAILED', ts, kind: 'unknownOutcome', message: 'timeout' };
        return { type: 'CANCELLED', ts, id: cmd.id };
      }
      case 'lookUpStop': {
        if (lost) return { type: 'FAILED', ts, kind: 'unknownOutcome', message: 'timeout' };
        const stop = [...this.stops.values()].find((s) => s.clientId === cmd.clientId);
        if (stop === undefined)
          return { type: 'LOOKED_UP', ts, clientId: cmd.clientId, status: 'gone' };
        return {
          type: 'LOOKED_UP',
          ts,
          clientId: cmd.clientId,
          status: stop.open ? 'open' : 'cancelled',
          order: { id: stop.id, stopPrice: stop.stopPrice, quantity: stop.quantity },
        };
      }
      default:
        throw new Error(`unexpected command ${cmd.type}`);
    }
  }

  open(): FakeStop[] {
    return [...this.stops.values()].filter((s) => s.open);
  }
}

const outcome = fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'refused', 'lost', 'rateLimited');
const step = fc.record({
  improve: fc.integer({ min: 0, max: 300 }), // in hundredths
  dt: fc.integer({ min: 0, max: 90_000 }),
  outcome,
});

describe('order sync under a faulty venue (property)', () => {
  it.each(['long', 'short'] as const)(
    '%s: never naked after the first placement, no stop sent twice, one stop at the desired price once settled',
    (side) => {
      const seed = Number(process.env['RATCHET_SEED'] ?? 20261127);
      console.log(`order sync property seed ${seed}`);
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
          const t = startSync(side, { ...SETTINGS, minImprovementPercent: '0' });
          const venue = new FakeVenue();
          let ts = 1000;
          let cents = 9000; // the stop in hundredths, 90.00 / 110.00
          const price = () =>
            side === 'long' ? (cents / 100).toFixed(2) : ((20000 - cents) / 100).toFixed(2);
          const sentClientIds = new Set<string>();
          const deliver = (o: Outcome) => {
            const cmd = t.command();
            if (cmd === null) return;
            if (cmd.type === 'placeStop') {
              expect(sentClientIds.has(cmd.clientId)).toBe(false);
              sentClientIds.add(cmd.clientId);
            }
            t.send(venue.answer(cmd, o, ts));
            const ctx = t.actor.getSnapshot().context;
            if (ctx.firstProtectedAt !== null) expect(venue.open().length).toBeGreaterThan(0);
            if (ctx.resting !== null) expect(venue.stops.get(ctx.resting.id)?.open).toBe(true);
          };
          t.send({ type: 'DESIRED', ts, stop: price() });
          for (const s of steps) {
            deliver(s.outcome);
            ts += s.dt;
            cents += s.improve;
            t.send({ type: 'DESIRED', ts, stop: price() });
            t.send({ type: 'CLOCK', ts });
          }
          // Settle: no more faults, time moves on until nothing is in flight or due.
          for (let i = 0; i < 50; i++) {
            ts += 61_000;
            t.send({ type: 'CLOCK', ts });
            while (t.command() !== null) deliver('ok');
          }
          const ctx = t.actor.getSnapshot().context;
          const open = venue.open();
          expect(open).toHaveLength(1);
          expect(open[0]?.stopPrice).toBe(price());
          expect(ctx.resting?.id).toBe(open[0]?.id);
          expect(ctx.gapMs).toBe(0);
        }),
        { seed, numRuns: 300 },
      );
    },
  );
});
