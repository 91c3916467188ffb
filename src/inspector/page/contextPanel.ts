import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import type { PositionSummary, SyncStep } from '../protocol.ts';
import { el } from './dom.ts';
import { describeInput, formatDuration, formatTs, stateKey } from './format.ts';

/** Returns the active leaf state of a region (`distance` → `trailing.normal`), or `—`. */
function regionState(record: InspectionRecord, region: string): string {
  const prefix = `position.open.${region}.`;
  const inside = record.active
    .filter((id) => id.startsWith(prefix))
    .map((id) => id.slice(prefix.length));
  return (
    inside.sort((a, b) => b.length - a.length)[0] ?? (record.status === 'done' ? 'exited' : '—')
  );
}

/** The exchange side of a live position as of a step: its order-sync step in force then. */
function liveRows(position: PositionSummary, sync: SyncStep | undefined): [string, string][] {
  if (position.live === null) return [];
  return [
    ['order sync', sync?.state ?? '—'],
    ['resting', sync?.restingStop ?? '— (none)'],
    ['unprotected', sync === undefined ? '—' : formatDuration(sync.unprotectedMs)],
    ['lane (now)', position.live.lane],
  ];
}

function rows(
  position: PositionSummary,
  record: InspectionRecord,
  sync: SyncStep | undefined,
): [string, string][] {
  const c = record.context;
  const distance = regionState(record, 'distance');
  const momentum =
    position.policy.trailing?.momentum === undefined
      ? 'not configured'
      : distance.startsWith('trailing.')
        ? stateKey(distance)
        : '— (not trailing)';
  const unit = position.policy.elastic?.unit === 'percent' ? ' %' : ' quote';
  return [
    ['input', describeInput(record.input)],
    ['stop', `${c.stop}  (${c.stopSource})`],
    ...liveRows(position, sync),
    ['distance', distance],
    ['breakeven', regionState(record, 'breakeven')],
    ['elastic', regionState(record, 'elastic')],
    ['momentum', momentum],
    ['extreme', c.extreme ?? '—'],
    ['peak', c.peakPrice === null ? '—' : `${c.peakPrice}  (${c.peakPercent ?? '?'} %)`],
    ['lock', c.lockInUnit === null ? '—' : `${c.lockInUnit}${unit}`],
    ['last tick', c.lastPrice === null ? '—' : `${c.lastPrice} @ ${formatTs(c.lastTs)}`],
    ['window', `${c.windowSize} ticks`],
    ['exit', c.exit === null ? '—' : `${c.exit.price} @ ${formatTs(c.exit.ts)} (${c.exit.reason})`],
  ];
}

/**
 * Shows the context of a step as a two-column table (with, for a live position, its exchange
 * side as of that step), marking the values that changed since the previous step, followed by
 * the transitions the step took.
 */
export function renderContext(
  container: HTMLElement,
  position: PositionSummary,
  step: { record: InspectionRecord; sync: SyncStep | undefined },
  previous: { record: InspectionRecord; sync: SyncStep | undefined } | undefined,
): void {
  const before =
    previous === undefined ? undefined : new Map(rows(position, previous.record, previous.sync));
  const record = step.record;
  const table = el('table', 'context-table');
  for (const [key, value] of rows(position, record, step.sync)) {
    const tr = el('tr');
    tr.dataset.key = key;
    if (before !== undefined && key !== 'input' && before.get(key) !== value)
      tr.className = 'changed';
    tr.append(el('th', undefined, key), el('td', undefined, value));
    table.append(tr);
  }
  const taken = el('div', 'taken-list');
  taken.append(el('h3', undefined, `transitions taken (${record.transitions.length})`));
  const list = el('ul');
  for (const t of record.transitions) {
    const target = t.targets.length === 0 ? '↻' : `→ ${t.targets.map(stateKey).join(', ')}`;
    const li = el('li');
    li.append(
      el('span', 'from', stateKey(t.source)),
      el('span', 'to', ` ${target} `),
      el('span', 'ev', t.event),
      el('span', 'guard', t.guard === null ? '' : ` [${t.guard}]`),
    );
    li.title = t.actions.length === 0 ? 'no actions' : `actions: ${t.actions.join(', ')}`;
    list.append(li);
  }
  if (record.transitions.length === 0) list.append(el('li', 'muted', 'none'));
  taken.append(list);
  container.replaceChildren(table, taken);
}
