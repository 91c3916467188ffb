import 'uplot/dist/uPlot.min.css';
import './page.css';
import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { HistoryResponse, PositionSummary, ServerMessage } from '../protocol.ts';
import { renderContext } from './contextPanel.ts';
import { byId } from './dom.ts';
import { renderEventLog } from './eventLog.ts';
import { inspectorClient } from './inspectorClient.ts';
import { renderPositionList } from './positionList.ts';
import { createPriceChart, renderLegend, type PriceChart } from './priceChart.ts';
import { drawStatechart, type StatechartView } from './statechartView.ts';
import { firstSeq, lastSeq, recordAt } from './steps.ts';
import { createTimeline } from './timeline.ts';

/**
 * The inspector page: one selected position, one selected step, and every panel showing
 * that step. State lives here; the views are functions of it.
 */
const client = inspectorClient(window.location);
const positions = new Map<string, PositionSummary>();
const histories = new Map<string, InspectionRecord[]>();
/** Records the page holds per position: what the server keeps, learnt from its hello. */
let keepRecords = Number.POSITIVE_INFINITY;
let selected: string | undefined;
let seq = 0;
let statechart: StatechartView | undefined;
let chart: PriceChart | undefined;

const timeline = createTimeline((next) => showStep(next));

function currentRecords(): InspectionRecord[] {
  return selected === undefined ? [] : (histories.get(selected) ?? []);
}

function showStep(next: number): void {
  const records = currentRecords();
  const position = selected === undefined ? undefined : positions.get(selected);
  const record = recordAt(records, next);
  if (position === undefined || record === undefined) return;
  seq = next;
  timeline.show(next);
  statechart?.show(record);
  chart?.setSeq(next);
  renderContext(byId('context'), position, record, recordAt(records, next - 1));
  renderEventLog(byId('event-log'), records, next, showStep);
  const url = new URL(window.location.href);
  url.hash = `${encodeURIComponent(position.id)}/${next}`;
  history.replaceState(null, '', url);
}

function drawList(): void {
  renderPositionList(
    byId('position-list'),
    [...positions.values()],
    selected,
    (id) => void select(id, 0),
  );
}

/** Shows the selected position's records from scratch, at `atSeq` or the nearest step held. */
function redraw(atSeq: number): void {
  const records = currentRecords();
  chart?.destroy();
  chart = createPriceChart(byId('price-chart'), records, showStep);
  const start = Math.max(firstSeq(records), Math.min(atSeq, lastSeq(records)));
  timeline.reset(records, start);
  showStep(start);
}

async function select(id: string, atSeq: number): Promise<void> {
  selected = id;
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
    histories.set(id, [...fetched.records]);
  }
  redraw(atSeq);
  document.body.dataset.position = id;
}

/** Forgets a position the server let go; the first one left is shown if it was selected. */
function forget(id: string): void {
  positions.delete(id);
  histories.delete(id);
  if (selected === id) {
    selected = undefined;
    const next = positions.keys().next();
    if (next.done === true) {
      chart?.destroy();
      chart = undefined;
      delete document.body.dataset.position;
    } else void select(next.value, 0);
  }
  drawList();
}

/** Applies a pushed message; a live position's new step is followed when the last step was shown. */
function onMessage(message: ServerMessage): void {
  if (message.type === 'hello') {
    keepRecords = message.retention.recordsPerPosition;
    for (const p of message.positions) if (!positions.has(p.id)) positions.set(p.id, p);
    drawList();
    return;
  }
  if (message.type === 'positionOpened') {
    positions.set(message.position.id, message.position);
    drawList();
    return;
  }
  if (message.type === 'positionDropped') return forget(message.positionId);
  if (message.type === 'error') return;
  const records = histories.get(message.positionId);
  const summary = positions.get(message.positionId);
  if (summary !== undefined) {
    positions.set(message.positionId, {
      ...summary,
      records: message.record.seq + 1,
      firstSeq: Math.max(summary.firstSeq, message.record.seq + 1 - keepRecords),
      stop: message.record.context.stop,
      lastTs: message.record.context.lastTs,
      status: message.record.context.exit === null ? 'open' : 'exited',
    });
    drawList();
  }
  if (records === undefined) return;
  const expected = lastSeq(records) + 1;
  if (message.record.seq < expected) return;
  if (message.record.seq > expected) {
    // A gap means pushes were missed: forget the copy and fetch the history again.
    histories.delete(message.positionId);
    if (message.positionId === selected) void select(message.positionId, seq);
    return;
  }
  const following = message.positionId === selected && seq === lastSeq(records);
  records.push(message.record);
  // The page keeps no more than the server does, so a page left open for weeks stays small.
  if (records.length > keepRecords) records.splice(0, records.length - keepRecords);
  if (message.positionId !== selected) return;
  redraw(following ? lastSeq(records) : seq);
}

async function start(): Promise<void> {
  const status = byId('stream-status');
  client.stream(onMessage, (s) => {
    status.textContent = s === 'live' ? 'stream connected' : `stream ${s}`;
    status.className = `badge badge-${s}`;
  });
  const [drawing, list] = await Promise.all([client.machine(), client.positions()]);
  byId('machine-name').textContent =
    `machine “${drawing.machineId}” · ${drawing.states.length} states · ${drawing.edges.length} arrows`;
  statechart = drawStatechart(byId('statechart'), drawing);
  renderLegend(byId('chart-legend'));
  for (const p of list.positions) positions.set(p.id, p);
  drawList();
  const [hashId, hashSeq] = decodeURIComponent(window.location.hash.slice(1)).split('/');
  const first = hashId !== undefined && positions.has(hashId) ? hashId : list.positions[0]?.id;
  if (first !== undefined) await select(first, hashId === first ? Number(hashSeq ?? 0) || 0 : 0);
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  const status = byId('stream-status');
  status.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
  status.className = 'badge badge-error';
  throw error;
});
