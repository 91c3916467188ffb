import type { PositionSummary } from '../inspector/protocol.ts';
import type { CliIo } from './io.ts';

/** Returns a duration for a status line: `0 ms`, `850 ms`, `12.4 s`, `3 min 05 s`. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Returns the machine-readable line a position's change prints when the output is not a terminal. */
export function plainStatusLine(p: PositionSummary): string {
  const side = p.side;
  return [
    `status ${p.symbol} ${side}`,
    p.status === 'closed' ? 'closed' : (p.live?.orderSync ?? 'starting'),
    `state=${p.state}`,
    `resting=${p.restingStop ?? 'none'}`,
    `desired=${p.desiredStop ?? 'none'}`,
    `last=${p.lastPrice ?? 'none'}`,
    `lane=${p.live?.lane ?? 'normal'}`,
    `unprotectedMs=${Math.round(p.unprotectedMs)}`,
    `id=${p.id}`,
  ].join(' ');
}

/** Returns the row a position shows on a terminal, padded into columns. */
function ttyRow(p: PositionSummary): string {
  const sync = p.status === 'closed' ? 'closed' : (p.live?.orderSync ?? 'starting');
  return [
    `${p.symbol} ${p.side}`.padEnd(14),
    p.state.padEnd(21),
    sync.padEnd(10),
    `last ${p.lastPrice ?? '—'}`.padEnd(17),
    `desired ${p.desiredStop ?? '—'}`.padEnd(20),
    `resting ${p.restingStop ?? '—'}`.padEnd(20),
    (p.live?.lane ?? 'normal').padEnd(7),
    `unprotected ${duration(p.unprotectedMs)}`,
  ].join(' ');
}

/** Where the status of every paper position is shown. */
export interface StatusBoard {
  /** Shows the positions' state now (a terminal redraws in place; other outputs get a line per change). */
  readonly update: (positions: readonly PositionSummary[]) => void;
  /** Prints a line of its own (above the board on a terminal). */
  readonly note: (line: string) => void;
}

/**
 * Returns the status board of a paper run. On a terminal it keeps one line per position at the
 * bottom and redraws them in place; otherwise it prints a `status …` line whenever a position's
 * exchange side or state changes (not on every tick), which a script can follow.
 */
export function createStatusBoard(io: CliIo, columns: () => number | undefined): StatusBoard {
  if (!io.isTty) {
    const shown = new Map<string, string>();
    return {
      update: (positions) => {
        for (const p of positions) {
          const key = [p.status, p.live?.orderSync, p.state, p.restingStop, p.live?.lane].join();
          if (shown.get(p.id) === key) continue;
          shown.set(p.id, key);
          io.out(plainStatusLine(p));
        }
        // Bounded: only positions still listed are remembered.
        const listed = new Set(positions.map((p) => p.id));
        for (const id of shown.keys()) if (!listed.has(id)) shown.delete(id);
      },
      note: (line) => io.out(line),
    };
  }
  let drawn = 0;
  let rows: string[] = [];
  const fit = (line: string): string => {
    const width = columns();
    return width === undefined || line.length < width ? line : `${line.slice(0, width - 2)}…`;
  };
  // ESC[nF moves to the start of the line n lines up; ESC[2K clears a line; ESC[J clears below.
  const up = (): string => (drawn === 0 ? '' : `\u001b[${drawn}F\u001b[J`);
  const draw = (prefix: string): void => {
    io.out(`${prefix}${rows.map((r) => `\u001b[2K${fit(r)}`).join('\n')}`);
    drawn = rows.length;
  };
  return {
    update: (positions) => {
      const next = positions.length === 0 ? ['(no open paper position)'] : positions.map(ttyRow);
      if (drawn > 0 && next.join('\n') === rows.join('\n')) return;
      rows = next;
      draw(up());
    },
    note: (line) => {
      const prefix = up();
      drawn = 0;
      io.out(`${prefix}\u001b[2K${line}`);
      if (rows.length > 0) draw('');
    },
  };
}
