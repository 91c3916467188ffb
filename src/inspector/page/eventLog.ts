import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { JournalResponse, SyncStep } from '../protocol.ts';
import { el } from './dom.ts';
import { describeEvent, describeSyncRecord, formatClock } from './format.ts';
import { syncStepsDuring } from './syncHistory.ts';

/** At most this many lines are drawn; a 10 000-step history stays responsive. */
const MAX_LINES = 300;

function line(
  seq: number,
  current: boolean,
  kind: string,
  ts: number,
  type: string,
  detail: string,
  onPick: (seq: number) => void,
): HTMLLIElement {
  const li = el('li', `event ${kind} event-${type}${current ? ' current' : ''}`);
  li.append(
    el('span', 'step', `#${seq}`),
    el('span', 'ts', formatClock(ts)),
    el('span', 'type', type),
    el('span', 'detail', detail),
  );
  li.addEventListener('click', () => onPick(seq));
  return li;
}

/**
 * Shows the SPEC events up to and including step `seq`, newest last, each step's order-sync
 * records after its events (live positions), the step's own lines highlighted; each line names
 * its step and clicking it travels there.
 */
export function renderEventLog(
  container: HTMLElement,
  records: readonly InspectionRecord[],
  seq: number,
  onPick: (seq: number) => void,
  steps: readonly SyncStep[] = [],
): void {
  const lines: HTMLLIElement[] = [];
  const first = records[0]?.seq ?? 0;
  for (let i = Math.min(seq - first, records.length - 1); i >= 0 && lines.length < MAX_LINES; i--) {
    const record = records[i];
    if (record === undefined) continue;
    const current = record.seq === seq;
    const sync = syncStepsDuring(steps, record.seq).flatMap((s) => s.records);
    for (let j = sync.length - 1; j >= 0 && lines.length < MAX_LINES; j--) {
      const r = sync[j];
      if (r === undefined) continue;
      lines.push(
        line(record.seq, current, 'event-sync', r.ts, r.type, describeSyncRecord(r), onPick),
      );
    }
    for (let j = record.events.length - 1; j >= 0 && lines.length < MAX_LINES; j--) {
      const event = record.events[j];
      if (event === undefined) continue;
      lines.push(line(record.seq, current, '', event.ts, event.type, describeEvent(event), onPick));
    }
  }
  lines.reverse();
  container.replaceChildren(...lines);
  container.scrollTop = container.scrollHeight;
}

/**
 * Shows a position's journal as the store keeps it: every decision of both machines, oldest
 * first, numbered by journal seq, under a line saying how many there are in all.
 */
export function renderJournal(container: HTMLElement, journal: JournalResponse): void {
  const head = el(
    'li',
    'event journal-head',
    `journal: ${journal.total} decision(s)${journal.total > journal.lines.length ? `, the last ${journal.lines.length} shown` : ''}`,
  );
  const lines = journal.lines.map((l) => {
    const li = el('li', `event ${l.machine === 'sync' ? 'event-sync ' : ''}event-${l.event.type}`);
    li.append(
      el('span', 'step', `${l.machine === 'sync' ? 's' : 'p'}${l.seq}`),
      el('span', 'ts', formatClock(l.event.ts)),
      el('span', 'type', l.event.type),
      el(
        'span',
        'detail',
        l.machine === 'sync' ? describeSyncRecord(l.event) : describeEvent(l.event),
      ),
    );
    return li;
  });
  container.replaceChildren(head, ...lines);
  container.scrollTop = container.scrollHeight;
}
