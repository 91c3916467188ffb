import type { InspectionRecord } from '../../inspection/inspectionRecord.ts';
import { byId } from './dom.ts';
import { describeInput } from './format.ts';

/** The step selector: slider, buttons and keys. */
export interface Timeline {
  /** Sets the number of steps and the one shown, without notifying. */
  readonly reset: (records: readonly InspectionRecord[], seq: number) => void;
  readonly show: (seq: number) => void;
}

/** Returns the nearest step after (dir 1) or before (dir −1) `seq` that emitted events, or `seq`. */
function nextWithEvents(records: readonly InspectionRecord[], seq: number, dir: 1 | -1): number {
  for (let i = seq + dir; i >= 0 && i < records.length; i += dir) {
    if ((records[i]?.events.length ?? 0) > 0) return i;
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
    const clamped = Math.max(0, Math.min(records.length - 1, seq));
    if (clamped !== current) onSeq(clamped);
  };
  slider.addEventListener('input', () => go(Number(slider.value)));
  const buttons: [string, () => number][] = [
    ['step-first', () => 0],
    ['step-prev-event', () => nextWithEvents(records, current, -1)],
    ['step-back', () => current - 1],
    ['step-forward', () => current + 1],
    ['step-next-event', () => nextWithEvents(records, current, 1)],
    ['step-last', () => records.length - 1],
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
      Home: () => 0,
      End: () => records.length - 1,
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
    const record = records[seq];
    readout.textContent =
      record === undefined
        ? ''
        : `step ${seq} / ${records.length - 1} · ${describeInput(record.input)}${record.events.length > 0 ? ` · ${record.events.map((e) => e.type).join(', ')}` : ''}`;
    document.body.dataset.seq = String(seq);
  };
  return {
    reset: (next, seq) => {
      records = next;
      slider.max = String(Math.max(0, next.length - 1));
      show(seq);
    },
    show,
  };
}
