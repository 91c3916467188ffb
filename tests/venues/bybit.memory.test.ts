import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { EmulatedExchange, ManualClock } from '../../src/venues/emulator/index.ts';
import { symbolSpec } from '../../src/venues/emulator/markets.ts';

const d = (s: string): Decimal => new Decimal(s);

describe('position stops run in bounded memory', () => {
  it('keep at most one per open position through 10 000 set, move, fire and close cycles', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const retention = { fills: 40, orders: 30, algoOrders: 20, protectionRecords: 10 };
    const symbols = ['BTCUSDT', 'ETHUSDT'];
    const ex = new EmulatedExchange(symbols.map(symbolSpec), clock, { retention });
    let peak = 0;
    for (let i = 0; i < 10_000; i++) {
      const symbol = symbols[i % 2] as string;
      clock.advance(10);
      ex.trade(symbol, d('1000'));
      ex.placeMarket({
        symbol,
        side: 'BUY',
        quantity: d('0.001'),
        reduceOnly: false,
        clientOrderId: `open${i}`,
      });
      ex.setPositionStop(symbol, d('990'), 'CONTRACT_PRICE');
      ex.setPositionStop(symbol, d('995'), 'MARK_PRICE');
      peak = Math.max(peak, symbols.filter((s) => ex.positionStop(s) !== undefined).length);
      if (i % 3 === 0) ex.trade(symbol, d('994'), undefined, d('994'));
      else if (i % 3 === 1) ex.clearPositionStop(symbol);
      if (!ex.position(symbol).amount.isZero())
        ex.placeMarket({
          symbol,
          side: 'SELL',
          quantity: d('0.001'),
          reduceOnly: true,
          clientOrderId: `close${i}`,
        });
      // Closed by whatever means, the position has no stop left.
      expect(ex.positionStop(symbol)).toBeUndefined();
    }
    expect(peak).toBe(1);
    expect(ex.retained()).toMatchObject({ orders: 30, fills: 40, protectionRecords: 10 });
    // Every position was protected from its stop's first setting to its close.
    const records = ex.protection.records(clock.now());
    expect(records.every((r) => r.unprotectedMsSinceFirstProtected === 0)).toBe(true);
  });
});
