import { describe, expect, it } from 'vitest';
import { crossesStop } from '../../src/domain/crossing.ts';
import { Dec } from '../../src/domain/money.ts';
import type { Side } from '../../src/domain/types.ts';

describe('crossesStop: a price at or beyond the stop crosses it', () => {
  const rows: [side: Side, price: string, stop: string, crossed: boolean][] = [
    ['long', '1852', '1852', true], // exactly on a long's stop: exit
    ['long', '1851.5', '1852', true], // below a long's stop
    ['long', '1852.5', '1852', false], // above: still open
    ['long', '1852.0000000001', '1852', false], // a hair above, exactly: no float noise
    ['long', '0.1', '0.10', true], // equal values written differently
    ['short', '63226.2', '63226.2', true], // exactly on a short's stop: exit
    ['short', '63250', '63226.2', true], // above a short's stop
    ['short', '63200', '63226.2', false], // below: still open
    ['short', '63226.1999999999', '63226.2', false], // a hair below, exactly
    ['short', '0.30', '0.3', true],
  ];
  it.each(rows)('%s at %s with the stop at %s → %s', (side, price, stop, crossed) => {
    expect(crossesStop(side, new Dec(price), new Dec(stop))).toBe(crossed);
    // The stop may also come as the decimal text a snapshot keeps.
    expect(crossesStop(side, new Dec(price), stop)).toBe(crossed);
  });
});
