import { describe, expect, it } from 'vitest';
import { reconcilePlan, type HeldPosition } from '../../src/engine/reconcilePlan.ts';
import type { VenuePosition, VenueStopOrder } from '../../src/venues/port.ts';

const held: HeldPosition = {
  positionId: 'p1',
  symbol: 'ETHUSDT',
  side: 'short',
  stem: 'rt-aaa-',
  entryPrice: '3000',
};
const position = (entryPrice: string, side: 'long' | 'short' = 'short'): VenuePosition => ({
  symbol: 'ETHUSDT',
  side,
  quantity: '0.5',
  entryPrice,
  openedAt: 1,
});
const stop = (clientId: string, positionSide: 'long' | 'short' = 'short'): VenueStopOrder => ({
  id: clientId,
  clientId,
  symbol: 'ETHUSDT',
  positionSide,
  stopPrice: '3060',
  quantity: '0.5',
  reduceOnly: true,
  closePosition: false,
  status: 'open',
  createdAt: 1,
  updatedAt: 1,
});

describe('reconcilePlan', () => {
  // Each row: what the exchange shows for a held short ETH (entry 3000) with its stop, and the plan.
  it.each([
    {
      why: 'same position: adopted',
      positions: [position('3000')],
      stops: [stop('rt-aaa-s1')],
      matchEntry: true,
      held: ['p1 open rt-aaa-s1'],
      opened: [] as string[],
      orphans: [] as string[],
    },
    {
      why: 'reopened while down (another entry): the actor ends, the new position adopts its stop',
      positions: [position('3100')],
      stops: [stop('rt-aaa-s1')],
      matchEntry: true,
      held: ['p1 flat'],
      opened: ['3100 rt-aaa-s1'],
      orphans: [],
    },
    {
      why: 'live reconciliation keeps the actor whatever the entry (it saw the add)',
      positions: [position('3100')],
      stops: [stop('rt-aaa-s1')],
      matchEntry: false,
      held: ['p1 open rt-aaa-s1'],
      opened: [],
      orphans: [],
    },
    {
      why: 'closed while down: the actor cancels its stop',
      positions: [],
      stops: [stop('rt-aaa-s1')],
      matchEntry: true,
      held: ['p1 flat rt-aaa-s1'],
      opened: [],
      orphans: [],
    },
    {
      why: 'flipped to long: the short stop protects nothing',
      positions: [position('3000', 'long')],
      stops: [stop('rt-aaa-s1')],
      matchEntry: true,
      held: ['p1 flat rt-aaa-s1'],
      opened: ['3000'],
      orphans: [],
    },
    {
      why: 'seen flat, then reopened on its side: a new position; the old actor keeps its stop to cancel after the new one rests',
      flat: true,
      positions: [position('3000')],
      stops: [stop('rt-aaa-s1')],
      matchEntry: false,
      held: ['p1 flat rt-aaa-s1'],
      opened: ['3000'],
      orphans: [],
    },
    {
      why: 'its stop fired, and a position with another entry is on its side: a new position; the old actor keeps its other stop to cancel',
      fired: true,
      positions: [position('3100')],
      stops: [stop('rt-aaa-s2')],
      matchEntry: false,
      held: ['p1 flat rt-aaa-s2'],
      opened: ['3100'],
      orphans: [],
    },
    {
      why: 'its stop fired, the same entry still open (the fire not yet filled): the same position',
      fired: true,
      positions: [position('3000')],
      stops: [],
      matchEntry: false,
      held: ['p1 open'],
      opened: [],
      orphans: [],
    },
    {
      why: 'an orphan of ours and a foreign order',
      positions: [],
      stops: [stop('rt-zzz-s9'), stop('other-1')],
      matchEntry: true,
      held: ['p1 flat'],
      opened: [],
      orphans: ['rt-zzz-s9'],
    },
  ] as {
    why: string;
    flat?: boolean;
    fired?: boolean;
    positions: VenuePosition[];
    stops: VenueStopOrder[];
    matchEntry: boolean;
    held: string[];
    opened: string[];
    orphans: string[];
  }[])('$why', ({ flat, fired, positions, stops, matchEntry, held: wantHeld, opened, orphans }) => {
    const plan = reconcilePlan(
      [{ ...held, flat: flat ?? false, fired: fired ?? false }],
      positions,
      stops,
      'rt',
      matchEntry,
    );
    expect(
      plan.held.map((t) =>
        [
          t.positionId,
          t.position === null ? 'flat' : 'open',
          ...t.stops.map((s) => s.clientId),
        ].join(' '),
      ),
    ).toEqual(wantHeld);
    expect(
      plan.opened.map((o) => [o.position.entryPrice, ...o.stops.map((s) => s.clientId)].join(' ')),
    ).toEqual(opened);
    expect(plan.orphans.map((s) => s.clientId)).toEqual(orphans);
  });
});
