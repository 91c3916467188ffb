import { describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../src/machines/orderSyncTypes.ts';
import type { Side } from '../../src/domain/types.ts';
import { SETTINGS, startSync } from './orderSyncHarness.ts';

// Long stops sit below the price and tighten upward; short stops mirror them.
const P = (side: Side, long: string, short: string) => (side === 'long' ? long : short);

describe.each(['long', 'short'] as const)('order sync, %s', (side) => {
  const s98 = P(side, '98', '102');
  const s99 = P(side, '99', '100.9'); // ≥ 1 %: an emergency move
  const s9801 = P(side, '98.05', '101.95'); // 0.05 % better: below the 0.1 % threshold
  const s9850 = P(side, '98.5', '101.5'); // ≥ 0.1 % and < 1 %

  function resting(at = s98, settings = SETTINGS) {
    const t = startSync(side, settings);
    t.send({ type: 'DESIRED', ts: 1000, stop: at });
    const c = t.command();
    if (c?.type !== 'placeStop') throw new Error('expected a placement');
    t.send({
      type: 'PLACED',
      ts: 1100,
      clientId: c.clientId,
      id: 'o1',
      stopPrice: at,
      quantity: '2',
    });
    return t;
  }

  it('places the desired stop at once and rests it on acknowledgement', () => {
    const t = startSync(side);
    const out = t.send({ type: 'DESIRED', ts: 1000, stop: s98 });
    expect(out).toEqual([
      { type: 'placeStop', ts: 1000, clientId: 'rt-abc-s1', stopPrice: s98, quantity: '2' },
    ]);
    expect(t.state()).toBe('placing');
    t.send({
      type: 'PLACED',
      ts: 1100,
      clientId: 'rt-abc-s1',
      id: 'o1',
      stopPrice: s98,
      quantity: '2',
    });
    expect(t.state()).toBe('resting');
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.unprotectedMs).toBe(1100);
    expect(ctx.firstProtectedAt).toBe(1100);
  });

  it('waits the interval for a small improvement; moves at once on an emergency one', () => {
    const t = resting();
    expect(t.send({ type: 'DESIRED', ts: 2000, stop: s9801 })).toEqual([]); // below min improvement
    expect(t.send({ type: 'DESIRED', ts: 3000, stop: s9850 })).toEqual([]); // interval not over
    const due = t.send({ type: 'CLOCK', ts: 61_100 });
    expect(due).toMatchObject([{ type: 'placeStop', stopPrice: s9850 }]);

    const u = resting();
    expect(u.send({ type: 'DESIRED', ts: 2000, stop: s99 })).toMatchObject([
      { type: 'placeStop', stopPrice: s99 },
    ]);
  });

  it('moves make-before-break: the old stop is cancelled only after the new one is acknowledged', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    expect(t.state()).toBe('placing');
    const placed = t.send({
      type: 'PLACED',
      ts: 2100,
      clientId: 'rt-abc-s2',
      id: 'o2',
      stopPrice: s99,
      quantity: '2',
    });
    expect(placed.map((r) => r.type)).toEqual(['stopResting', 'cancelStop']);
    expect(placed[1]).toMatchObject({ id: 'o1', purpose: 'superseded' });
    expect(t.state()).toBe('replacing');
    t.send({ type: 'CANCELLED', ts: 2200, id: 'o1' });
    expect(t.state()).toBe('resting');
    const ctx = t.actor.getSnapshot().context;
    expect(ctx.resting?.id).toBe('o2');
    expect(ctx.gapMs).toBe(0);
  });

  it('journals its own cancel once, by its answer, when the stream reports it first', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    t.send({
      type: 'PLACED',
      ts: 2100,
      clientId: 'rt-abc-s2',
      id: 'o2',
      stopPrice: s99,
      quantity: '2',
    });
    expect(t.send({ type: 'STOP_CHANGED', ts: 2150, id: 'o1', status: 'cancelled' })).toEqual([]);
    expect(t.state()).toBe('replacing');
    expect(t.send({ type: 'CANCELLED', ts: 2200, id: 'o1' })).toEqual([
      { type: 'stopCancelled', ts: 2200, id: 'o1', purpose: 'superseded' },
    ]);
    expect(t.state()).toBe('resting');
    // Someone else's cancel of the resting stop is still news, and is put right.
    expect(t.send({ type: 'STOP_CHANGED', ts: 2300, id: 'o2', status: 'cancelled' })).toMatchObject(
      [
        { type: 'stopCancelled', id: 'o2', purpose: 'external' },
        { type: 'placeStop', stopPrice: s99 },
      ],
    );
  });

  it('never journals a record earlier than one before it, whatever order events arrive in', () => {
    const t = resting();
    const records = [
      ...t.send({ type: 'DESIRED', ts: 3000, stop: s99 }),
      // The answer is stamped by a clock a little behind the one that stamped the decision.
      ...t.send({
        type: 'PLACED',
        ts: 2990,
        clientId: 'rt-abc-s2',
        id: 'o2',
        stopPrice: s99,
        quantity: '2',
      }),
      ...t.send({ type: 'STOP_CHANGED', ts: 2980, id: 'o9', status: 'cancelled' }),
      ...t.send({ type: 'CANCELLED', ts: 2985, id: 'o1' }),
    ];
    expect(records.map((r) => r.type)).toEqual([
      'placeStop',
      'stopResting',
      'cancelStop',
      'stopCancelled',
    ]);
    expect(records.map((r) => r.ts)).toEqual([3000, 3000, 3000, 3000]);
  });

  it('looks a lost placement up before anything else, and adopts it when it exists', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    const out = t.send({ type: 'FAILED', ts: 2500, kind: 'unknownOutcome', message: 'timeout' });
    expect(out.at(-1)).toEqual({
      type: 'lookUpStop',
      ts: 2500,
      clientId: 'rt-abc-s2',
      after: 'place',
    });
    expect(t.state()).toBe('unknown');
    const found = t.send({
      type: 'LOOKED_UP',
      ts: 2600,
      clientId: 'rt-abc-s2',
      status: 'open',
      order: { id: 'o2', stopPrice: s99, quantity: '2' },
    });
    expect(found.map((r) => r.type)).toEqual(['stopLookedUp', 'stopResting', 'cancelStop']);
  });

  it('places afresh with a new client id when the lost placement never happened', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    t.send({ type: 'FAILED', ts: 2500, kind: 'unknownOutcome', message: 'timeout' });
    const out = t.send({ type: 'LOOKED_UP', ts: 2600, clientId: 'rt-abc-s2', status: 'gone' });
    expect(out).toMatchObject([
      { type: 'stopLookedUp', clientId: 'rt-abc-s2', status: 'gone' },
      { type: 'placeStop', clientId: 'rt-abc-s3', stopPrice: s99 },
    ]);
  });

  it('honours Retry-After and sends nothing before it', () => {
    const t = startSync(side);
    t.send({ type: 'DESIRED', ts: 1000, stop: s98 });
    t.send({ type: 'FAILED', ts: 1100, kind: 'rateLimited', message: '429', retryAfterMs: 5000 });
    expect(t.command()).toBeNull();
    expect(t.send({ type: 'CLOCK', ts: 6000 })).toEqual([]);
    expect(t.send({ type: 'CLOCK', ts: 6100 })).toMatchObject([
      { type: 'placeStop', clientId: 'rt-abc-s2' },
    ]);
  });

  it('at the order limit moves by cancel-then-create and counts the gap', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    const out = t.send({ type: 'FAILED', ts: 2100, kind: 'tooManyStops', message: '-4045' });
    expect(out.map((r) => r.type)).toEqual(['alert', 'requestFailed', 'cancelStop']);
    expect(out.at(-1)).toMatchObject({ id: 'o1', purpose: 'makeRoom' });
    expect(t.send({ type: 'CANCELLED', ts: 2200, id: 'o1' })).toMatchObject([
      { type: 'stopCancelled' },
      { type: 'placeStop', stopPrice: s99 },
    ]);
    t.send({
      type: 'PLACED',
      ts: 2450,
      clientId: 'rt-abc-s3',
      id: 'o3',
      stopPrice: s99,
      quantity: '2',
    });
    expect(t.actor.getSnapshot().context.gapMs).toBe(250);
  });

  it('alerts the order limit once per stretch at it, though each move probes for room', () => {
    const t = resting();
    const alerts: SyncRecord[] = [];
    const refusedThenPlaced = (ts: number, stop: string, id: string) => {
      // The move tries make-before-break first; -4045 turns it into cancel-then-create.
      const [place] = t.send({ type: 'DESIRED', ts, stop });
      if (place?.type !== 'placeStop') throw new Error('expected a placement first');
      alerts.push(
        ...t.send({ type: 'FAILED', ts: ts + 10, kind: 'tooManyStops', message: '-4045' }),
        ...t.send({
          type: 'CANCELLED',
          ts: ts + 20,
          id: t.actor.getSnapshot().context.resting?.id ?? '',
        }),
      );
      const next = t.command();
      if (next?.type !== 'placeStop') throw new Error('expected the placement after the cancel');
      t.send({
        type: 'PLACED',
        ts: ts + 30,
        clientId: next.clientId,
        id,
        stopPrice: stop,
        quantity: '2',
      });
    };
    // Moves a minute apart, each past the minimum improvement.
    refusedThenPlaced(70_000, s9850, 'o2');
    refusedThenPlaced(140_000, s99, 'o3');
    expect(alerts.filter((r) => r.type === 'alert')).toHaveLength(1);
    // Room again: a move lands make-before-break; a later refusal is news and is alerted.
    const [place] = t.send({ type: 'DESIRED', ts: 210_000, stop: P(side, '99.5', '100.5') });
    if (place?.type !== 'placeStop') throw new Error('expected a placement');
    t.send({
      type: 'PLACED',
      ts: 210_050,
      clientId: place.clientId,
      id: 'o4',
      stopPrice: P(side, '99.5', '100.5'),
      quantity: '2',
    });
    t.send({ type: 'CANCELLED', ts: 210_100, id: 'o3' });
    refusedThenPlaced(280_000, P(side, '99.9', '100.1'), 'o5');
    expect(alerts.filter((r) => r.type === 'alert')).toHaveLength(2);
  });

  it('closes at market when the exit stop is tighter than the resting one (virtual stop)', () => {
    const t = resting();
    const out = t.send({ type: 'EXIT', ts: 3000, price: s9850, stop: s99 });
    expect(out).toMatchObject([{ type: 'closeAtMarket', clientId: 'rt-abc-x2', quantity: '2' }]);
    expect(t.state()).toBe('closing');
    const done = t.send({ type: 'CLOSE_DONE', ts: 3100, clientId: 'rt-abc-x2', filled: true });
    expect(done.map((r) => r.type)).toEqual(['closedAtMarket', 'positionFlat', 'cancelStop']);
    t.send({ type: 'CANCELLED', ts: 3200, id: 'o1' });
    expect(t.state()).toBe('closed');
  });

  it('lets the resting stop fire when it equals the exit stop, and closes only after the grace', () => {
    const t = resting();
    expect(t.send({ type: 'EXIT', ts: 3000, price: s98, stop: s98 })).toEqual([]);
    expect(t.send({ type: 'CLOCK', ts: 7999 })).toEqual([]);
    expect(t.send({ type: 'CLOCK', ts: 8000 })).toMatchObject([{ type: 'closeAtMarket' }]);

    const u = resting();
    u.send({ type: 'EXIT', ts: 3000, price: s98, stop: s98 });
    u.send({ type: 'STOP_CHANGED', ts: 3050, id: 'o1', status: 'triggered' });
    expect(u.send({ type: 'CLOCK', ts: 9000 })).toEqual([]);
    u.send({ type: 'POSITION', ts: 3100, quantity: null });
    expect(u.state()).toBe('closed');
  });

  it('exits at market when a placement would trigger at once', () => {
    const t = startSync(side);
    t.send({ type: 'DESIRED', ts: 1000, stop: s98 });
    const out = t.send({ type: 'FAILED', ts: 1100, kind: 'immediatelyTriggers', message: '-2021' });
    expect(out.at(-1)).toMatchObject({ type: 'closeAtMarket' });
  });

  it('looks up a stop whose cancel says "not found"; a fired one means the position is closing', () => {
    const t = resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    t.send({
      type: 'PLACED',
      ts: 2100,
      clientId: 'rt-abc-s2',
      id: 'o2',
      stopPrice: s99,
      quantity: '2',
    });
    const out = t.send({ type: 'FAILED', ts: 2200, kind: 'notFound', message: '-2011' });
    expect(out.at(-1)).toEqual({
      type: 'lookUpStop',
      ts: 2200,
      clientId: 'rt-abc-s1',
      after: 'cancel',
    });
    t.send({ type: 'LOOKED_UP', ts: 2300, clientId: 'rt-abc-s1', status: 'cancelled' });
    expect(t.state()).toBe('resting');
    expect(t.actor.getSnapshot().context.leftovers).toEqual([]);
  });

  it('cancels every leftover once the position is flat, then ends', () => {
    const t = resting();
    const out = t.send({ type: 'POSITION', ts: 5000, quantity: null });
    expect(out).toMatchObject([
      { type: 'positionFlat' },
      { type: 'cancelStop', id: 'o1', purpose: 'leftover' },
    ]);
    const end = t.send({ type: 'CANCELLED', ts: 5100, id: 'o1' });
    expect(end.at(-1)).toMatchObject({ type: 'syncDone' });
    expect(t.actor.getSnapshot().status).toBe('done');
  });

  it('re-sizes the stop make-before-break when the position grows', () => {
    const t = resting();
    const out = t.send({ type: 'POSITION', ts: 5000, quantity: '3' });
    expect(out).toMatchObject([
      { type: 'positionResized' },
      { type: 'placeStop', stopPrice: s98, quantity: '3' },
    ]);
  });

  it('after a restart adopts the tightest of our stops and cancels the rest, newest first', () => {
    const t = resting();
    const out = t.send({
      type: 'RECONCILED',
      ts: 9000,
      quantity: '2',
      restart: true,
      stops: [
        { id: 'a', clientId: 'rt-abc-s1', stopPrice: s98, quantity: '2', placedAt: 100 },
        { id: 'b', clientId: 'rt-abc-s2', stopPrice: s99, quantity: '2', placedAt: 200 },
        { id: 'c', clientId: 'rt-abc-s3', stopPrice: s9850, quantity: '2', placedAt: 300 },
      ],
    });
    expect(out[0]).toMatchObject({ type: 'reconciled', resting: 'b', leftovers: 2 });
    expect(out[1]).toMatchObject({ type: 'cancelStop', id: 'c' });
  });

  it('closes at market on an operator CLOSE, then cancels its stop and ends', () => {
    const t = resting();
    const out = t.send({ type: 'CLOSE', ts: 4000, reason: 'flatten' });
    expect(out).toMatchObject([
      { type: 'closeRequested', reason: 'flatten' },
      { type: 'closeAtMarket', quantity: '2' },
    ]);
    const cmd = t.command();
    if (cmd?.type !== 'closeAtMarket') throw new Error('expected a market close');
    t.send({ type: 'CLOSE_DONE', ts: 4100, clientId: cmd.clientId, filled: true });
    t.send({ type: 'CANCELLED', ts: 4200, id: 'o1' });
    expect(t.state()).toBe('closed');
  });

  it('moves by one atomic amend when the venue has one: no second stop, no cancel', () => {
    const t = resting(s98, { ...SETTINGS, atomicAmend: true });
    const out = t.send({ type: 'DESIRED', ts: 2000, stop: s99 });
    expect(out).toEqual([
      {
        type: 'amendStop',
        ts: 2000,
        id: 'o1',
        clientId: 'rt-abc-s1',
        stopPrice: s99,
        quantity: '2',
      },
    ]);
    const failed = t.send({ type: 'FAILED', ts: 2100, kind: 'retryable', message: '10016' });
    expect(failed.at(-1)).toMatchObject({ type: 'requestFailed', command: 'amendStop' });
    expect(t.send({ type: 'CLOCK', ts: 2700 })).toMatchObject([
      { type: 'amendStop', stopPrice: s99 },
    ]);
    const done = t.send({ type: 'AMENDED', ts: 2800, id: 'o1', stopPrice: s99, quantity: '2' });
    expect(done).toMatchObject([{ type: 'stopAmended', stop: { id: 'o1', stopPrice: s99 } }]);
    expect(t.state()).toBe('resting');
    expect(t.actor.getSnapshot().context.leftovers).toEqual([]);
  });

  it('with position stops (atomic amend), leaves what rests under the stop id to the next position once flat', () => {
    const t = resting(s98, { ...SETTINGS, atomicAmend: true });
    // The exchange dropped the stop with the position; a stop under its id now is a successor's.
    const out = t.send({ type: 'POSITION', ts: 2000, quantity: null });
    expect(out.map((r) => r.type)).toEqual(['positionFlat', 'stopCancelled', 'syncDone']);
    expect(out[1]).toMatchObject({ id: 'o1', purpose: 'external' });
    expect(t.command()).toBeNull();
    expect(t.actor.getSnapshot().context.done).toBe(true);
  });

  // Five failures in a row: the retry times the machine sets, per situation (base 500 ms,
  // alert after 3 failures). Prompt: a naked position's failure a retry may cure, retried at
  // the base interval until the failures reach the alert. Backed off: a stop rests, or the
  // refusal is one another identical request will not cure.
  const PROMPT = [500, 500, 2000, 4000, 8000];
  const BACKED_OFF = [500, 1000, 2000, 4000, 8000];
  it.each([
    ['a naked position, 5xx', true, 'retryable', undefined, PROMPT],
    ['a naked position, clock refused', true, 'clockSkew', undefined, PROMPT],
    ['a naked position, 429 with Retry-After 0', true, 'rateLimited', 0, PROMPT],
    ['a protected move, 5xx', false, 'retryable', undefined, BACKED_OFF],
    ['a naked position, 429 without Retry-After', true, 'rateLimited', undefined, BACKED_OFF],
    ['a naked position, exchange rejection', true, 'exchange', undefined, BACKED_OFF],
    ['a naked position, insufficient funds', true, 'insufficientFunds', undefined, BACKED_OFF],
    ['a naked position, auth refused', true, 'auth', undefined, BACKED_OFF],
    ['a naked position, invalid order', true, 'invalid', undefined, BACKED_OFF],
  ] as const)('retries %s after %j ms', (_what, naked, kind, retryAfterMs, waits) => {
    const t = naked ? startSync(side) : resting();
    t.send({ type: 'DESIRED', ts: 2000, stop: naked ? s98 : s99 });
    let ts = 2000;
    const seen: number[] = [];
    for (let i = 0; i < waits.length; i++) {
      ts += 100;
      const [failed] = t.send({ type: 'FAILED', ts, kind, message: 'no', retryAfterMs });
      if (failed?.type !== 'requestFailed' || failed.retryAt === null)
        throw new Error(`expected a retry time, got ${JSON.stringify(failed)}`);
      seen.push(failed.retryAt - ts);
      expect(t.send({ type: 'CLOCK', ts: failed.retryAt - 1 })).toEqual([]);
      ts = failed.retryAt;
      expect(t.send({ type: 'CLOCK', ts })).toMatchObject([{ type: 'placeStop' }]);
    }
    expect(seen).toEqual(waits);
  });

  it('a naked position still waits out Retry-After', () => {
    const t = startSync(side);
    t.send({ type: 'DESIRED', ts: 1000, stop: s98 });
    const [failed] = t.send({
      type: 'FAILED',
      ts: 1100,
      kind: 'rateLimited',
      message: '429',
      retryAfterMs: 3000,
    });
    expect(failed).toMatchObject({ type: 'requestFailed', retryAt: 4100 });
  });

  it('raises one alert when calls keep failing', () => {
    const t = startSync(side);
    t.send({ type: 'DESIRED', ts: 1000, stop: s98 });
    let ts = 1000;
    const alerts: SyncRecord[] = [];
    for (let i = 0; i < 6; i++) {
      ts += 60_000;
      const out = [
        ...t.send({ type: 'FAILED', ts, kind: 'retryable', message: '503' }),
        ...t.send({ type: 'CLOCK', ts: ts + 60_000 }),
      ];
      ts += 60_000;
      alerts.push(...out.filter((r) => r.type === 'alert'));
    }
    expect(alerts).toHaveLength(1);
  });
});
