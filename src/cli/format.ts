import type { PositionEvent, ReplaySummary } from '../domain/types.ts';

/** One output line: a SPEC event or the closing summary. */
export type OutputLine = PositionEvent | ReplaySummary;

/**
 * Returns the line as JSON with `", "` and `": "` separators — the layout of the SPEC's
 * expected files — so output and expectations can be compared as text as well as by value.
 * Lines are flat objects: keys keep the order the events were built in.
 */
export function jsonLine(line: OutputLine): string {
  const parts = Object.entries(line).map(
    ([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  );
  return `{${parts.join(', ')}}`;
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
}

/** Returns rows laid out in aligned columns under a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = widths.map((w) => '─'.repeat(w));
  return [pad(header, widths), pad(rule, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

/** Returns the human detail of an event for the table view. */
function detail(event: PositionEvent): { price: string; stop: string; note: string } {
  switch (event.type) {
    case 'opened':
      return { price: '', stop: event.stop, note: 'initial stop placed' };
    case 'activated':
      return { price: event.price, stop: '', note: `trailing starts (${event.reason})` };
    case 'breakevenReached':
      return { price: event.price, stop: '', note: 'breakeven trigger reached' };
    case 'accelerated':
      return { price: event.price, stop: '', note: 'momentum: distance tightened' };
    case 'decelerated':
      return { price: event.price, stop: '', note: 'momentum: distance back to normal' };
    case 'elasticEngaged':
      return { price: event.price, stop: '', note: 'SETE engaged' };
    case 'peakLocked':
      return { price: event.price, stop: '', note: 'SETE peak lock' };
    case 'bigJumpLocked':
      return { price: '', stop: '', note: `SETE big jump, lock ${event.lock}` };
    case 'stopMoved':
      return { price: event.price, stop: event.stop, note: `by ${event.source}` };
    case 'exited':
      return { price: event.price, stop: event.stop, note: `exit (${event.reason} stop)` };
    case 'tickRejected':
      return { price: '', stop: '', note: `tick rejected: ${event.why}` };
  }
}

/** Returns the readable table of a replay: every event, then a summary paragraph. */
export function replayTable(events: readonly PositionEvent[], summary: ReplaySummary): string {
  const rows = events.map((event) => {
    const d = detail(event);
    return [String(event.ts), event.type, d.price, d.stop, d.note];
  });
  const outcome = summary.exited
    ? `exited at ${summary.exitPrice ?? ''} (ts ${summary.exitTs ?? ''}) on the ${summary.exitReason ?? ''} stop`
    : 'still open';
  return `${table(['ts', 'event', 'price', 'stop', 'note'], rows)}\n\n${outcome}; final stop ${summary.finalStop}`;
}
