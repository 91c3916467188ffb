import { describe, expect, it } from 'vitest';
import { journalGaps } from '../../bench/soakRun.ts';

const HEADER = 'position  seq  time  type\n--------  ---  ----  ----\n';

describe('journalGaps', () => {
  it('finds no gap when each position runs 1..n, interleaved with others', () => {
    const table = `${HEADER}a 1 t opened\nb 1 t opened\na 2 t stopMoved\na/sync 1 t placeStop\nb 2 t closed\n`;
    expect(journalGaps(table)).toEqual({ lines: 5, gaps: [] });
  });

  it('reports a skipped, repeated or restarted seq', () => {
    const table = `${HEADER}a 1 t opened\na 3 t stopMoved\nb 1 t opened\nb 1 t opened\nc 2 t opened\n`;
    expect(journalGaps(table).gaps).toEqual([
      'a: seq 3 where 2 was due',
      'b: seq 1 where 2 was due',
      'c: seq 2 where 1 was due',
    ]);
  });
});
