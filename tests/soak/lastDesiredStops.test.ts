import { describe, expect, it } from 'vitest';
import { lastDesiredStops } from '../../bench/soakRun.ts';

const HEADER = 'position  seq  time  type\n--------  ---  ----  ----\n';
const A = 'binanceusdm:BTCUSDT:long:100';
const B = 'binanceusdm:BTCUSDT:short:200';

describe('lastDesiredStops', () => {
  it('returns the last desired stop of the position opened last on each symbol, sync lines aside', () => {
    const rows = [
      [A, '{"type":"opened","ts":100,"stop":"58800"}'],
      [`${A}/sync`, '{"type":"placeStop","ts":101,"stopPrice":"58800"}'],
      [A, '{"type":"stopMoved","ts":150,"stop":"59400"}'],
      [B, '{"type":"opened","ts":200,"stop":"61200"}'],
      [B, '{"type":"stopMoved","ts":250,"stop":"61000"}'],
      [A, '{"type":"closed","ts":260}'],
    ];
    const table = HEADER + rows.map(([id], i) => `${id} ${i + 1} t x`).join('\n');
    const jsonl = rows.map(([, line]) => line).join('\n');
    expect(lastDesiredStops(table, jsonl)).toEqual(new Map([['BTCUSDT', '61000']]));
  });
});
