import { describe, expect, it } from 'vitest';
import { ReplayDriver } from '../../src/replay/replayDriver.ts';
import { PositionStepError } from '../../src/replay/positionStepError.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import type { Scenario, Tick } from '../../src/domain/types.ts';
import { replayOracle } from '../oracle/oraclePosition.ts';

const scenario = (ticks: Tick[], entryPrice = '100', tickSize = '0.01'): Scenario => ({
  market: { tickSize },
  position: { side: 'long', entryPrice, quantity: '2', openedAt: 0 },
  policy: { initialStop: { percent: '2' }, trailing: { percent: '1' } },
  ticks,
});

describe('prices and the exact range', () => {
  it('takes a price finer than the tick size exactly, as the decimal rules do', () => {
    const s = scenario([
      { ts: 1, price: '100.5' },
      { ts: 2, price: '101.123456789' }, // nine places on a 0.01 market
      { ts: 3, price: '100.1' }, // under the stop of 100.12 (1 % under 101.123456789, rounded up)
    ]);
    const { events, summary } = replayScenario(s);
    expect({ events, summary }).toEqual(replayOracle(s));
    expect(events.map((e) => e.type)).toEqual([
      'opened',
      'activated',
      'stopMoved',
      'stopMoved',
      'exited',
    ]);
  });

  it('rejects a positive price beyond 2^51 units of the finest place as not a number', () => {
    const { events } = replayScenario(
      scenario([
        { ts: 1, price: '1e20' }, // 10^22 units of 0.01
        { ts: 2, price: '100.00000000000000001' }, // 17 places
        { ts: 3, price: '100.5' },
      ]),
    );
    expect(events.slice(1, 3)).toEqual([
      { type: 'tickRejected', ts: 1, why: 'not a number' },
      { type: 'tickRejected', ts: 2, why: 'not a number' },
    ]);
    expect(events[3]).toMatchObject({ type: 'activated', ts: 3 });
  });

  it('still rejects a non-positive price of any size as not positive', () => {
    const { events } = replayScenario(scenario([{ ts: 1, price: '-1e20' }]));
    expect(events[1]).toEqual({ type: 'tickRejected', ts: 1, why: 'not positive' });
  });

  it('refuses to open a position whose prices cannot be held exactly, saying why', () => {
    const open = () =>
      new ReplayDriver({
        input: { ...scenario([], '123456789.1234567891'), id: 'x' },
      });
    expect(open).toThrow(PositionStepError);
    expect(open).toThrow(
      /need 10 decimal places; Ratchet keeps prices exact up to 15 places and 2\^51 units/,
    );
  });
});
