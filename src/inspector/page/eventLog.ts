import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import { el } from './dom.ts';
import { describeEvent, formatTs } from './format.ts';

/** At most this many lines are drawn; a 10 000-step history stays responsive. */
const MAX_LINES = 300;

/**
 * Shows the SPEC events up to and including step `seq`, newest last, the step's own events
 * highlighted; each line names its step and clicking it travels there.
 */
export function renderEventLog(
  container: HTMLElement,
  records: readonly InspectionRecord[],
  seq: number,
  onPick: (seq: number) => void,
): void {
  const lines: HTMLLIElement[] = [];
  const first = records[0]?.seq ?? 0;
  for (let i = Math.min(seq - first, records.length - 1); i >= 0 && lines.length < MAX_LINES; i--) {
    const record = records[i];
    if (record === undefined) continue;
    for (let j = record.events.length - 1; j >= 0 && lines.length < MAX_LINES; j--) {
      const event = record.events[j];
      if (event === undefined) continue;
      const li = el('li', `event event-${event.type}${record.seq === seq ? ' current' : ''}`);
      li.append(
        el('span', 'step', `#${record.seq}`),
        el('span', 'ts', formatTs(event.ts)),
        el('span', 'type', event.type),
        el('span', 'detail', describeEvent(event)),
      );
      li.addEventListener('click', () => onPick(record.seq));
      lines.push(li);
    }
  }
  lines.reverse();
  container.replaceChildren(...lines);
  container.scrollTop = container.scrollHeight;
}
