import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { InspectionRecord, PositionInfo } from '../../src/inspection/inspectionRecord.ts';
import { InspectionHub, type LiveStatus } from '../../src/inspector/inspectionHub.ts';
import { machineGraph } from '../../src/inspector/machineGraph.ts';
import type { MachineDrawing } from '../../src/inspector/machineLayout.ts';
import { orderMarkers } from '../../src/inspector/page/chartMarkers.ts';
import {
  restingSeries,
  syncStepAt,
  syncStepsDuring,
} from '../../src/inspector/page/syncHistory.ts';
import { inspectorJournal } from '../../src/cli/inspectorJournal.ts';
import type {
  HistoryResponse,
  JournalResponse,
  PositionsResponse,
  ServerMessage,
  SyncStep,
} from '../../src/inspector/protocol.ts';
import { layoutRing } from '../../src/inspector/ringLayout.ts';
import { serveInspector } from '../../src/inspector/serveInspector.ts';
import type { SyncRecord } from '../../src/machines/orderSyncTypes.ts';
import { orderSyncMachine } from '../../src/machines/orderSyncMachine.ts';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { allSettled, liveRigs } from '../engine/engineHarness.ts';
import { SPEC } from './helpers.ts';

let info: PositionInfo;
let records: InspectionRecord[];
beforeAll(async () => {
  const replayed = inspectScenario(
    'live',
    'BTCUSDT long',
    await loadScenarioFile(`${SPEC}/sete-bigjump.json`),
  );
  info = replayed.info;
  records = replayed.records;
});

const stop = (id: string, stopPrice: string) => ({
  id,
  clientId: `rt-x-${id}`,
  stopPrice,
  quantity: '10',
  placedAt: 1,
});

function status(state: string, restingStop: string | null, unprotectedMs = 0): LiveStatus {
  return {
    id: 'live',
    state,
    desiredStop: '98',
    restingStop,
    unprotectedMs,
    gapMs: 0,
    lane: 'normal',
  };
}

describe('the hub of a live position', () => {
  it('keeps the order-sync steps, names their transitions as the drawing does, and marks the close', () => {
    const hub = new InspectionHub();
    const messages: ServerMessage[] = [];
    hub.subscribe((m) => messages.push(m));
    hub.open(info);
    hub.record('live', records[0] as InspectionRecord);
    const placing: SyncRecord[] = [
      { type: 'placeStop', ts: 1, clientId: 'rt-x-s1', stopPrice: '98', quantity: '10' },
    ];
    hub.committed(status('placing', null, 5), placing);
    hub.committed(status('placing', null, 5), []);
    hub.record('live', records[1] as InspectionRecord);
    hub.committed(status('resting', '98', 12), [
      { type: 'stopResting', ts: 2, stop: stop('1', '98'), replaces: null },
    ]);

    const history = hub.history('live') as HistoryResponse;
    expect(history.syncSteps.map((s) => [s.seq, s.at, s.from, s.state])).toEqual([
      [0, 0, 'none', 'placing'],
      [1, 1, 'placing', 'resting'],
    ]);
    const drawing = layoutRing(machineGraph(orderSyncMachine));
    const ids = new Set([
      ...drawing.edges.map((e) => e.id),
      ...drawing.states.flatMap((s) => s.internal.map((t) => t.id)),
    ]);
    for (const step of history.syncSteps) {
      expect(step.transitions.length).toBe(2);
      for (const id of step.transitions) expect(ids.has(id), id).toBe(true);
    }
    expect(history.syncSteps[1]?.transitions).toEqual([
      'orderSync.placing:*:0',
      expect.stringMatching(/^orderSync\.placing:always:\d$/),
    ]);
    // An unchanged report is not pushed again.
    expect(messages.filter((m) => m.type === 'live')).toHaveLength(2);

    expect(hub.summaries()[0]).toMatchObject({
      id: 'live',
      symbol: 'BTCUSDT',
      side: 'long',
      status: 'open',
      state: 'engaged',
      desiredStop: records[1]?.context.stop,
      restingStop: '98',
      unprotectedMs: 12,
      live: { orderSync: 'resting', lane: 'normal', restingStop: '98' },
      closedAt: null,
      syncSteps: 2,
    });

    hub.closed('live', 99);
    hub.closed('live', 100);
    expect(hub.summaries()[0]).toMatchObject({ status: 'closed', closedAt: 99 });
    expect(messages.filter((m) => m.type === 'positionClosed')).toEqual([
      { type: 'positionClosed', positionId: 'live', closedAt: 99 },
    ]);
  });

  it('keeps at most recordsPerPosition order-sync steps and makes room with a closed position first', () => {
    const hub = new InspectionHub({ recordsPerPosition: 3, positions: 2 });
    hub.open(info);
    hub.open({ ...info, id: 'other' });
    hub.record('live', records[0] as InspectionRecord);
    for (let i = 0; i < 50; i++)
      hub.committed(status(i % 2 === 0 ? 'placing' : 'resting', i % 2 === 0 ? null : '98'), []);
    const steps = hub.history('live')?.syncSteps ?? [];
    expect(steps.map((s) => s.seq)).toEqual([47, 48, 49]);

    hub.closed('other', 5);
    hub.open({ ...info, id: 'third' });
    expect(hub.summaries().map((p) => p.id)).toEqual(['live', 'third']);
    // Reports about a dropped position are ignored, not thrown.
    hub.committed({ ...status('resting', '98'), id: 'other' }, []);
    hub.closed('other', 6);
  });
});

describe('the order-sync drawing', () => {
  it('puts every state of the machine on a ring, no two boxes touching, each arrow between its two states', () => {
    const graph = machineGraph(orderSyncMachine);
    const drawing = layoutRing(graph);
    const states = drawing.states.filter((s) => s.parent === 'orderSync');
    expect(states.map((s) => s.key)).toEqual(graph.root.children.map((c) => c.key));
    expect(states.map((s) => s.key)).toContain('resting');
    for (const a of states) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(drawing.width);
      expect(a.y + a.height).toBeLessThanOrEqual(drawing.height);
      for (const b of states) {
        if (a === b) continue;
        const apart =
          a.x + a.width < b.x ||
          b.x + b.width < a.x ||
          a.y + a.height < b.y ||
          b.y + b.height < a.y;
        expect(apart, `${a.key} and ${b.key}`).toBe(true);
      }
    }
    expect(drawing.edges).toHaveLength(graph.edges.length);
    const box = new Map(states.map((s) => [s.id, s]));
    const near = (p: { x: number; y: number }, id: string) => {
      const s = box.get(id);
      return (
        s !== undefined &&
        p.x >= s.x - 6 &&
        p.x <= s.x + s.width + 6 &&
        p.y >= s.y - 6 &&
        p.y <= s.y + s.height + 6
      );
    };
    for (const edge of drawing.edges) {
      expect(edge.points).toHaveLength(2);
      expect(near(edge.points[0]!, edge.source), edge.edgeId).toBe(true);
      expect(near(edge.points[1]!, edge.target), edge.edgeId).toBe(true);
    }
  });
});

describe('the page reading a live history', () => {
  const step = (seq: number, at: number, restingStop: string | null, r: SyncRecord[] = []) =>
    ({
      seq,
      at,
      ts: at,
      from: 'none',
      state: 'resting',
      active: ['orderSync', 'orderSync.resting'],
      transitions: [],
      records: r,
      desiredStop: '98',
      restingStop,
      unprotectedMs: 0,
    }) satisfies SyncStep;

  it('finds the order-sync step in force at each position step, and the resting stop series', () => {
    const steps = [step(0, 0, null), step(1, 0, '98'), step(2, 2, '99'), step(3, 4, '99.5')];
    expect(syncStepAt(steps, 0)?.seq).toBe(1);
    expect(syncStepAt(steps, 1)?.seq).toBe(1);
    expect(syncStepAt(steps, 3)?.seq).toBe(2);
    expect(syncStepAt(steps.slice(2), 1)).toBeUndefined();
    expect(syncStepsDuring(steps, 0).map((s) => s.seq)).toEqual([0, 1]);
    expect(syncStepsDuring(steps, 1)).toEqual([]);
    expect(restingSeries(records, steps)).toEqual([98, 98, 99, 99, 99.5]);
    // A history trimmed at the front starts from the stop in force then.
    expect(restingSeries(records.slice(3), steps)).toEqual([99, 99.5]);
  });

  it('marks a stop placed, moved, cancelled by someone else and filled, but not a move’s own cancel', () => {
    const steps = [
      step(0, 0, '98', [{ type: 'stopResting', ts: 1, stop: stop('1', '98'), replaces: null }]),
      step(1, 1, '99', [
        { type: 'stopResting', ts: 2, stop: stop('2', '99'), replaces: '1' },
        {
          type: 'cancelStop',
          ts: 2,
          id: '1',
          clientId: 'rt-x-1',
          purpose: 'superseded',
        },
      ]),
      step(2, 1, '99', [
        { type: 'stopCancelled', ts: 3, id: '1', purpose: 'external' },
        { type: 'stopCancelled', ts: 3, id: '1', purpose: 'superseded' },
      ]),
      step(3, 2, null, [{ type: 'stopCancelled', ts: 4, id: '2', purpose: 'external' }]),
      step(4, 3, null, [{ type: 'stopFired', ts: 5, id: '3' }]),
    ];
    expect(orderMarkers(records, steps).map((m) => [m.seq, m.kind])).toEqual([
      [0, 'placed'],
      [1, 'moved'],
      [2, 'cancelled'],
      [3, 'filled'],
    ]);
    expect(orderMarkers(records.slice(2), steps).map((m) => m.kind)).toEqual([
      'cancelled',
      'filled',
    ]);
  });
});

const rigs = liveRigs();

describe('the inspector over a running engine', () => {
  it('lists each position with its desired and resting stop, and draws the order sync it went through', async () => {
    const em = await rigs.emulator({ startPrices: { BTCUSDT: '60000.0' } });
    em.openPosition('BTCUSDT', 'long', '0.010');
    // The engine's store is opened by the rig; the journal reader reaches it once it exists.
    let journalOf: ReturnType<typeof inspectorJournal> = () =>
      Promise.reject(new Error('no store'));
    const inspector = await serveInspector({
      positions: [],
      port: 0,
      journal: (id, limit) => journalOf(id, limit),
    });
    rigs.cleanup(() => inspector.close());
    const rig = await rigs.engine(em, { engine: { inspection: inspector.hub } });
    journalOf = inspectorJournal(rig.store);
    const listed = async () =>
      (await (await fetch(new URL('/api/positions', inspector.url))).json()) as PositionsResponse;
    await rig.until(() => allSettled(rig), 'the stop rests');
    await rig.until(
      () => inspector.hub.summaries()[0]?.live?.orderSync === 'resting',
      'the hub hears the stop rest',
    );
    const engineView = rig.engine.status()[0];
    const [position] = (await listed()).positions;
    expect(position).toMatchObject({
      id: engineView?.id,
      symbol: 'BTCUSDT',
      side: 'long',
      state: 'armed',
      desiredStop: engineView?.desiredStop,
      restingStop: engineView?.restingStop,
      status: 'open',
    });
    expect(position?.unprotectedMs).toBe(engineView?.unprotectedMs);

    const drawing = (await (
      await fetch(new URL('/api/machine/orderSync', inspector.url))
    ).json()) as MachineDrawing;
    expect(drawing.machineId).toBe('orderSync');
    const drawn = new Set([
      ...drawing.edges.map((e) => e.id),
      ...drawing.states.flatMap((s) => s.internal.map((t) => t.id)),
    ]);
    const history = (await (
      await fetch(
        new URL(`/api/positions/${encodeURIComponent(position?.id ?? '')}/history`, inspector.url),
      )
    ).json()) as HistoryResponse;
    expect(history.syncSteps.map((s) => s.state)).toEqual(['placing', 'resting']);
    expect(history.syncSteps.flatMap((s) => s.records.map((r) => r.type))).toEqual([
      'placeStop',
      'stopResting',
    ]);
    for (const id of history.syncSteps.flatMap((s) => s.transitions))
      expect(drawn.has(id), id).toBe(true);

    // Older steps than the hub keeps are read from the journal on demand: both machines' lines.
    const journalUrl = (limit: number) =>
      new URL(
        `/api/positions/${encodeURIComponent(position?.id ?? '')}/journal?limit=${limit}`,
        inspector.url,
      );
    const journal = (await (await fetch(journalUrl(500))).json()) as JournalResponse;
    expect(journal.lines.map((l) => `${l.machine}:${l.event.type}`)).toEqual(
      expect.arrayContaining(['position:opened', 'sync:placeStop', 'sync:stopResting']),
    );
    expect(journal.total).toBe(journal.lines.length);
    const last = (await (await fetch(journalUrl(1))).json()) as JournalResponse;
    expect(last.lines).toEqual([journal.lines.at(-1)]);
    expect(last.total).toBe(journal.total);

    // The stop moves with the price; then the position closes elsewhere and is marked closed.
    await rig.feedReady('BTCUSDT');
    em.setPrice('BTCUSDT', '61000.0');
    await rig.until(
      () => Number(inspector.hub.summaries()[0]?.restingStop) > Number(engineView?.restingStop),
      'the moved stop is reported',
    );
    expect(inspector.hub.summaries()[0]?.state).toBe('trailing.normal');
    em.closePosition('BTCUSDT');
    await rig.until(
      () => inspector.hub.summaries()[0]?.status === 'closed',
      'the close is reported',
    );
    expect((await listed()).positions[0]?.closedAt).toEqual(expect.any(Number));
  }, 120_000);
});
