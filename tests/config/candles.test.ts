import { describe, expect, it } from 'vitest';
import { expandCandle, parseScenario, type Candle } from '../../src/config/index.ts';
import { baseScenario, withChange } from './helpers.ts';

const up: Candle = { ts: 1000, open: '10', high: '12', low: '9', close: '11' };
const down: Candle = { ts: 1000, open: '11', high: '12', low: '9', close: '10' };
const flat: Candle = { ts: 1000, open: '10', high: '12', low: '9', close: '10' };

describe('expandCandle', () => {
  it.each([
    // [candle, path, prices of the four ticks]
    [up, 'auto', ['10', '9', '12', '11']], // close ≥ open: low first
    [flat, 'auto', ['10', '9', '12', '10']], // close = open counts as ≥
    [down, 'auto', ['11', '12', '9', '10']], // close < open: high first
    [up, 'highFirst', ['10', '12', '9', '11']],
    [down, 'highFirst', ['11', '12', '9', '10']],
    [up, 'lowFirst', ['10', '9', '12', '11']],
    [down, 'lowFirst', ['11', '9', '12', '10']],
  ] as const)('%o %s', (candle, path, prices) => {
    expect(expandCandle(candle, path)).toEqual(
      prices.map((price, k) => ({ ts: candle.ts + k, price })),
    );
  });

  it('compares open and close as decimals, not as text', () => {
    // "9.5" > "10" as text but not as a number.
    const candle: Candle = { ts: 0, open: '9.5', high: '10.5', low: '9', close: '10' };
    expect(expandCandle(candle).map((t) => t.price)).toEqual(['9.5', '9', '10.5', '10']);
  });
});

describe('candles in a scenario', () => {
  const withCandles = (candlePath?: string) => {
    let doc = withChange(baseScenario(), 'ticks', undefined);
    doc = withChange(doc, 'candles', [
      [0, '100', '102', '99', '101'],
      [60000, 101, 101.5, 100, 100.5],
    ]);
    return candlePath === undefined ? doc : withChange(doc, 'candlePath', candlePath);
  };

  it('defaults candlePath to auto and expands every candle to four ticks, in order', () => {
    expect(parseScenario(withCandles()).ticks).toEqual([
      { ts: 0, price: '100' },
      { ts: 1, price: '99' },
      { ts: 2, price: '102' },
      { ts: 3, price: '101' },
      { ts: 60000, price: '101' },
      { ts: 60001, price: '101.5' },
      { ts: 60002, price: '100' },
      { ts: 60003, price: '100.5' },
    ]);
  });

  it.each([
    ['highFirst', ['100', '102', '99', '101', '101', '101.5', '100', '100.5']],
    ['lowFirst', ['100', '99', '102', '101', '101', '100', '101.5', '100.5']],
  ] as const)('uses candlePath %s for every candle', (path, prices) => {
    expect(parseScenario(withCandles(path)).ticks.map((t) => t.price)).toEqual(prices);
  });
});
