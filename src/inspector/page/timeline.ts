import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import { byId } from './dom.ts';
import { describeInput } from './format.ts';
import { firstSeq, lastSeq, recordAt } from './steps.ts';

/** The step selector: slider, buttons and keys. */
export interface Timeline {
  /** Sets the number of steps and the one shown, without notifying. */
  readonly reset: (records: readonly InspectionRecord[], seq: number) => void;
  readonly show: (seq: number) => void;
}

/** Returns the nearest step after (dir 1) or before (dir −1) `seq` that emitted events, or `seq`. */
function nextWithEvents(records: readonly InspectionRecord[], seq: number, dir: 1 | -1): number {
  for (let s = seq + dir; s >= firstSeq(records) && s <= lastSeq(records); s += dir) {
    if ((recordAt(records, s)?.events.length ?? 0) > 0) return s;
  }
  return seq;
}

/**
 * Wires the slider, the step buttons and the keyboard (← →, Shift for ±10, PageUp/PageDown
 * for the previous/next step with events, Home/End) to `onSeq`.
 */
export function createTimeline(onSeq: (seq: number) => void): Timeline {
  const slider = byId<HTMLInputElement>('timeline-slider');
  const readout = byId('timeline-readout');
  let records: readonly InspectionRecord[] = [];
  let current = 0;
  const go = (seq: number): void => {
    const clamped = Math.max(firstSeq(records), Math.min(lastSeq(records), seq));
    if (clamped !== current) onSeq(clamped);
  };
  slider.addEventListener('input', () => go(Number(slider.value)));
  const buttons: [string, () => number][] = [
    ['step-first', () => firstSeq(records)],
    ['step-prev-event', () => nextWithEvents(records, current, -1)],
    ['step-back', () => current - 1],
    ['step-forward', () => current + 1],
    ['step-next-event', () => nextWithEvents(records, current, 1)],
    ['step-last', () => lastSeq(records)],
  ];
  for (const [id, target] of buttons) byId(id).addEventListener('click', () => go(target()));
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement && e.target !== slider) return;
    const step = e.shiftKey ? 10 : 1;
    const moves: Record<string, () => number> = {
      ArrowRight: () => current + step,
      ArrowLeft: () => current - step,
      PageDown: () => nextWithEvents(records, current, 1),
      PageUp: () => nextWithEvents(records, current, -1),
      Home: () => firstSeq(records),
      End: () => lastSeq(records),
    };
    const move = moves[e.key];
    if (move === undefined) return;
    // The slider would move itself on arrow keys as well; one handler keeps one step per press.
    e.preventDefault();
    go(move());
  });
  const show = (seq: number): void => {
    current = seq;
    slider.value = String(seq);
    const record = recordAt(records, seq);
    readout.textContent =
      record === undefined
        ? ''
        : `step ${seq} / ${lastSeq(records)} · ${describeInput(record.input)}${record.events.length > 0 ? ` · ${record.events.map((e) => e.type).join(', ')}` : ''}`;
    document.body.dataset.seq = String(seq);
  };
  return {
    reset: (next, seq) => {
      records = next;
      slider.min = String(firstSeq(next));
      slider.max = String(Math.max(firstSeq(next), lastSeq(next)));
      show(seq);
    },
    show,
  };
}
