import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { validateTicks } from '../../src/streams/validateTicks.ts';
import type { PositionEvent, Tick } from '../../src/domain/types.ts';

/** Returns the `[ts, why]` of every tick the position statechart rejects, in order. */
function machineRejections(ticks: readonly Tick[]): [number, string][] {
  const actor = createActor(positionMachine, {
    input: {
      market: { tickSize: '0.01' },
      position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
      policy: { initialStop: { percent: '5' }, trailing: { percent: '10' } },
    },
  });
  const rejected: [number, string][] = [];
  actor.on('tickRejected', (e: Extract<PositionEvent, { type: 'tickRejected' }>) =>
    rejected.push([e.ts, e.why]),
  );
  actor.start();
  for (const t of ticks) actor.send({ type: 'PRICE', ts: t.ts, price: t.price });
  actor.stop();
  return rejected;
}

/** Returns the `[ts, why]` of every tick stream validation rejects, in order. */
function streamRejections(ticks: readonly Tick[]): [number, string][] {
  const rejected: [number, string][] = [];
  from(ticks.map((t) => ({ symbol: 'BTC/USDT:USDT', ...t })))
    .pipe(validateTicks({ onRejected: (r) => rejected.push([r.ts, r.why]) }))
    .subscribe();
  return rejected;
}

describe('bad ticks: the statechart and stream validation reject the same ticks', () => {
  // One row per case: the ticks sent, then the [ts, why] both must reject.
  const rows: [string, Tick[], [number, string][]][] = [
    [
      'a NaN ts is not a number, and an older tick after it is still out of order',
      [
        { ts: 1000, price: '100' },
        { ts: Number.NaN, price: '101' },
        { ts: 500, price: '99' },
        { ts: 1000, price: '99.5' }, // same ts as the last accepted: accepted
      ],
      [
        [Number.NaN, 'not a number'],
        [500, 'out of order'],
      ],
    ],
    [
      'a NaN ts on the first tick does not become the order reference',
      [
        { ts: Number.NaN, price: '100' },
        { ts: 2000, price: '100' },
        { ts: 1000, price: '100' },
      ],
      [
        [Number.NaN, 'not a number'],
        [1000, 'out of order'],
      ],
    ],
    [
      'an infinite ts is not a number either way, whatever its price',
      [
        { ts: 1000, price: '100' },
        { ts: Number.POSITIVE_INFINITY, price: '101' },
        { ts: Number.NEGATIVE_INFINITY, price: '-3' },
        { ts: 999, price: '100' },
      ],
      [
        [Number.POSITIVE_INFINITY, 'not a number'],
        [Number.NEGATIVE_INFINITY, 'not a number'],
        [999, 'out of order'],
      ],
    ],
    [
      'price problems come before order, in the SPEC order',
      [
        { ts: 1000, price: '100' },
        { ts: 900, price: 'NaN' },
        { ts: 900, price: '0' },
        { ts: 900, price: '100' },
      ],
      [
        [900, 'not a number'],
        [900, 'not positive'],
        [900, 'out of order'],
      ],
    ],
  ];

  it.each(rows)('%s', (_, ticks, expected) => {
    expect(machineRejections(ticks)).toEqual(expected);
    expect(streamRejections(ticks)).toEqual(expected);
  });
});

describe('a CLOCK whose ts is not a finite number', () => {
  it.each([Number.NaN, Number.POSITIVE_INFINITY])('does nothing at ts %d', (ts) => {
    const actor = createActor(positionMachine, {
      input: {
        market: { tickSize: '0.01' },
        position: { side: 'long', entryPrice: '100', quantity: '1', openedAt: 0 },
        policy: {
          initialStop: { percent: '5' },
          activation: { afterSeconds: '10' },
          trailing: { percent: '1' },
        },
      },
    });
    const seen: string[] = [];
    actor.on('*', (e: PositionEvent) => seen.push(`${e.type} ${e.ts}`));
    actor.start();
    actor.send({ type: 'PRICE', ts: 1000, price: '100' });
    actor.send({ type: 'CLOCK', ts });
    // A real CLOCK after it still activates: the bad one left no trace.
    actor.send({ type: 'CLOCK', ts: 10_000 });
    expect(seen).toEqual(['opened 0', 'activated 10000', 'stopMoved 10000']);
    expect(actor.getSnapshot().context.clockTs).toBe(10_000);
    actor.stop();
  });
});
