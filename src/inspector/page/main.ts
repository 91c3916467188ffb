import 'uplot/dist/uPlot.min.css';
import './page.css';
import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { HistoryResponse, PositionSummary, ServerMessage, SyncStep } from '../protocol.ts';
import { renderContext } from './contextPanel.ts';
import { byId } from './dom.ts';
import { createDismissals } from './dismissals.ts';
import { renderEventLog, renderJournal } from './eventLog.ts';
import { describeSyncRecord, formatDuration } from './format.ts';
import { inspectorClient } from './inspectorClient.ts';
import { createPositionList } from './positionList.ts';
import { createPriceChart, renderLegend, type PriceChart } from './priceChart.ts';
import { drawStatechart, type StatechartView } from './statechartView.ts';
import { firstSeq, lastSeq, recordAt } from './steps.ts';
import { syncStepAt, syncStepsDuring } from './syncHistory.ts';
import { createTimeline } from './timeline.ts';

/** What the page holds of one position's past: its records, and its order-sync steps if live. */
interface History {
  readonly records: InspectionRecord[];
  readonly sync: SyncStep[];
}

/**
 * The inspector page: one selected position, one selected step, and every panel showing
 * that step. State lives here; the views are functions of it. While "follow live" is on, each
 * new step of the selected position is shown as it arrives; moving back in time turns it off.
 */
const client = inspectorClient(window.location);
const positions = new Map<string, PositionSummary>();
const histories = new Map<string, History>();
const dismissals = createDismissals(window.localStorage);
/** Records the page holds per position: what the server keeps, learnt from its hello. */
let keepRecords = Number.POSITIVE_INFINITY;
let selected: string | undefined;
let seq = 0;
let following = true;
let statechart: StatechartView | undefined;
let syncChart: StatechartView | undefined;
let chart: PriceChart | undefined;
/** Whether the event log shows the journal read from the store instead of the steps held. */
let journalShown = false;

const followButton = byId<HTMLButtonElement>('follow-live');
const timeline = createTimeline((next) => {
  setFollowing(next === lastSeq(current().records));
  showStep(next);
});

function current(): History {
  return (
    (selected === undefined ? undefined : histories.get(selected)) ?? { records: [], sync: [] }
  );
}

function setFollowing(on: boolean): void {
  following = on;
  followButton.setAttribute('aria-pressed', String(on));
  document.body.dataset.following = String(on);
}

function showSync(position: PositionSummary, steps: readonly SyncStep[], at: number): void {
  const inForce = syncStepAt(steps, at);
  const during = syncStepsDuring(steps, at);
  syncChart?.show(
    inForce === undefined
      ? undefined
      : { active: inForce.active, transitions: during.flatMap((s) => s.transitions) },
  );
  const readout = byId('sync-readout');
  readout.textContent =
    position.live === null
      ? 'a replay has no exchange side'
      : inForce === undefined
        ? 'no order-sync step held for this step'
        : `${inForce.state} · resting ${inForce.restingStop ?? 'none'} · unprotected ${formatDuration(inForce.unprotectedMs)}${during.length > 0 ? ` · ${during.flatMap((s) => s.records.map((r) => `${r.type} ${describeSyncRecord(r)}`)).join('; ')}` : ''}`;
}

function showStep(next: number): void {
  const { records, sync } = current();
  const position = selected === undefined ? undefined : positions.get(selected);
  const record = recordAt(records, next);
  if (position === undefined || record === undefined) return;
  seq = next;
  timeline.show(next);
  statechart?.show({ active: record.active, transitions: record.transitions.map((t) => t.id) });
  showSync(position, sync, next);
  chart?.setSeq(next);
  const previous = recordAt(records, next - 1);
  renderContext(
    byId('context'),
    position,
    { record, sync: syncStepAt(sync, next) },
    previous === undefined ? undefined : { record: previous, sync: syncStepAt(sync, next - 1) },
  );
  if (!journalShown) renderEventLog(byId('event-log'), records, next, jumpTo, sync);
  const url = new URL(window.location.href);
  url.hash = `${encodeURIComponent(position.id)}/${next}`;
  history.replaceState(null, '', url);
}

function jumpTo(next: number): void {
  setFollowing(next === lastSeq(current().records));
  showStep(next);
}

const drawPositionList = createPositionList(byId('position-list'), {
  onSelect: (id) => void select(id, undefined),
  onDismiss: (id) => {
    dismissals.add(id);
    if (selected === id) selectFirst();
    drawList();
  },
});

function visible(): PositionSummary[] {
  return [...positions.values()].filter((p) => !dismissals.has(p.id));
}

function drawList(): void {
  drawPositionList(visible(), selected);
}

/** Shows the selected position's records from scratch, at `atSeq` or the nearest step held. */
function redraw(atSeq: number): void {
  const { records, sync } = current();
  const position = selected === undefined ? undefined : positions.get(selected);
  chart?.destroy();
  chart = createPriceChart(byId('price-chart'), records, sync, jumpTo);
  renderLegend(byId('chart-legend'), position?.live !== null);
  document.body.dataset.live = String(position?.live !== null);
  const start = Math.max(firstSeq(records), Math.min(atSeq, lastSeq(records)));
  timeline.reset(records, start);
  showStep(start);
}

/** Selects a position: at `atSeq`, or following its newest step when undefined. */
async function select(id: string, atSeq: number | undefined): Promise<void> {
  selected = id;
  showJournal(false);
  drawList();
  if (!histories.has(id)) {
    let fetched: HistoryResponse;
    try {
      fetched = await client.history(id);
    } catch (error) {
      // A position dropped while its history was on the way answers 404; that is no failure.
      if (!positions.has(id)) return;
      throw error;
    }
    if (!positions.has(id)) return;
    positions.set(id, fetched.position);
    histories.set(id, { records: [...fetched.records], sync: [...fetched.syncSteps] });
  }
  if (selected !== id) return;
  setFollowing(atSeq === undefined);
  redraw(atSeq ?? Number.POSITIVE_INFINITY);
  document.body.dataset.position = id;
}

function selectFirst(): void {
  const next = visible()[0];
  if (next === undefined) {
    selected = undefined;
    chart?.destroy();
    chart = undefined;
    statechart?.show(undefined);
    syncChart?.show(undefined);
    delete document.body.dataset.position;
  } else {
    void select(next.id, undefined);
  }
}

/** Forgets a position the server let go; the first one left is shown if it was selected. */
function forget(id: string): void {
  positions.delete(id);
  histories.delete(id);
  dismissals.forget(id);
  if (selected === id) selectFirst();
  drawList();
}

function trim<T>(list: T[]): void {
  // The page keeps no more than the server does, so a page left open for weeks stays small.
  if (list.length > keepRecords) list.splice(0, list.length - keepRecords);
}

function onRecord(positionId: string, record: InspectionRecord): void {
  const summary = positions.get(positionId);
  if (summary !== undefined) {
    positions.set(positionId, {
      ...summary,
      records: record.seq + 1,
      firstSeq: Math.max(summary.firstSeq, record.seq + 1 - keepRecords),
      desiredStop: record.context.stop,
      lastPrice: record.context.lastPrice,
      lastTs: record.context.lastTs,
      status:
        summary.status === 'closed' ? 'closed' : record.context.exit === null ? 'open' : 'exited',
      state: record.context.exit === null ? summary.state : 'exited',
    });
  }
  const held = histories.get(positionId);
  if (held === undefined) return;
  const expected = lastSeq(held.records) + 1;
  if (record.seq < expected) return;
  if (record.seq > expected) {
    // A gap means pushes were missed: forget the copy and fetch the history again.
    histories.delete(positionId);
    if (positionId === selected) void select(positionId, following ? undefined : seq);
    return;
  }
  held.records.push(record);
  trim(held.records);
  if (positionId !== selected) return;
  chart?.update(held.records, held.sync);
  const target = following ? lastSeq(held.records) : Math.max(seq, firstSeq(held.records));
  timeline.reset(held.records, target);
  showStep(target);
}

function onLive(message: Extract<ServerMessage, { type: 'live' }>): void {
  const summary = positions.get(message.positionId);
  if (summary !== undefined) {
    positions.set(message.positionId, {
      ...summary,
      live: message.live,
      restingStop: message.live.restingStop,
      unprotectedMs: message.live.unprotectedMs,
      syncSteps: message.step === null ? summary.syncSteps : message.step.seq + 1,
    });
  }
  const held = histories.get(message.positionId);
  if (held === undefined || message.step === null) return;
  const last = held.sync.at(-1);
  if (last !== undefined && message.step.seq <= last.seq) return;
  if (last !== undefined && message.step.seq > last.seq + 1) {
    histories.delete(message.positionId);
    if (message.positionId === selected)
      void select(message.positionId, following ? undefined : seq);
    return;
  }
  held.sync.push(message.step);
  trim(held.sync);
  if (message.positionId !== selected) return;
  chart?.update(held.records, held.sync);
  showStep(seq);
}

/** Applies a pushed message. */
function onMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'hello':
      keepRecords = message.retention.recordsPerPosition;
      for (const p of message.positions) if (!positions.has(p.id)) positions.set(p.id, p);
      break;
    case 'positionOpened':
      positions.set(message.position.id, message.position);
      if (selected === undefined) void select(message.position.id, undefined);
      break;
    case 'positionDropped':
      return forget(message.positionId);
    case 'positionClosed': {
      const summary = positions.get(message.positionId);
      if (summary !== undefined)
        positions.set(message.positionId, {
          ...summary,
          status: 'closed',
          closedAt: message.closedAt,
        });
      break;
    }
    case 'record':
      onRecord(message.positionId, message.record);
      break;
    case 'live':
      onLive(message);
      break;
    case 'error':
      return;
  }
  drawList();
}

const journalButton = byId<HTMLButtonElement>('journal-toggle');

function showJournal(on: boolean): void {
  journalShown = on;
  journalButton.setAttribute('aria-pressed', String(on));
  byId('events-hint').textContent = on ? 'from the journal' : 'up to this step';
}

async function toggleJournal(): Promise<void> {
  const id = selected;
  showJournal(!journalShown && id !== undefined);
  if (!journalShown || id === undefined) return showStep(seq);
  let journal;
  try {
    journal = await client.journal(id);
  } catch {
    // A replay has no store behind it: its steps held are all there is.
    if (selected === id && journalShown) {
      showJournal(false);
      byId('events-hint').textContent = 'no journal here: every step is held';
    }
    return;
  }
  if (selected === id && journalShown) renderJournal(byId('event-log'), journal);
}

journalButton.addEventListener('click', () => void toggleJournal());

followButton.addEventListener('click', () => {
  setFollowing(!following);
  if (following) showStep(lastSeq(current().records));
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'l' && e.key !== 'L') return;
  if (e.target instanceof HTMLInputElement && e.target.type !== 'range') return;
  followButton.click();
});

async function start(): Promise<void> {
  const status = byId('stream-status');
  client.stream(onMessage, (s) => {
    status.textContent = s === 'live' ? 'stream connected' : `stream ${s}`;
    status.className = `badge badge-${s}`;
  });
  const [drawing, syncDrawing, list] = await Promise.all([
    client.machine(),
    client.syncMachine(),
    client.positions(),
  ]);
  byId('machine-name').textContent =
    `machine “${drawing.machineId}” · ${drawing.states.length} states · ${drawing.edges.length} arrows`;
  statechart = drawStatechart(byId('statechart'), drawing);
  if (syncDrawing !== undefined) syncChart = drawStatechart(byId('sync-statechart'), syncDrawing);
  for (const p of list.positions) positions.set(p.id, p);
  dismissals.keepOnly(new Set(positions.keys()));
  drawList();
  const [hashId, hashSeq] = decodeURIComponent(window.location.hash.slice(1)).split('/');
  const shown = visible();
  const first = hashId !== undefined && positions.has(hashId) ? hashId : shown[0]?.id;
  if (first !== undefined) {
    const at = hashId === first && hashSeq !== undefined ? Number(hashSeq) : NaN;
    await select(first, Number.isInteger(at) ? at : undefined);
  }
  document.body.dataset.ready = 'true';
}

setFollowing(true);
start().catch((error: unknown) => {
  const status = byId('stream-status');
  status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
  status.className = 'badge badge-error';
  throw error;
});
