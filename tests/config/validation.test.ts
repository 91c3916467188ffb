import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/config/index.ts';
import { baseScenario, configErrorOf, withChange } from './helpers.ts';

/** Serialises through JSON text so numbers take the lossless path a file takes. */
const load = (doc: unknown) => parseScenarioText(JSON.stringify(doc));

type Row = readonly [changes: Record<string, unknown>, path: string, message: string];

// Each row breaks one rule of the SPEC (or an obvious sibling of one) and names the issue it must raise.
const refused: readonly Row[] = [
  // market and position
  [{ 'market.tickSize': 0 }, 'market.tickSize', 'market.tickSize: 0 is not > 0'],
  [{ 'market.tickSize': '-0.01' }, 'market.tickSize', 'market.tickSize: "-0.01" is not > 0'],
  [{ 'market.tickSize': 'abc' }, 'market.tickSize', 'is not a decimal number'],
  [{ 'market.tickSize': undefined }, 'market.tickSize', 'market.tickSize: missing; required: > 0'],
  [{ 'position.entryPrice': 0 }, 'position.entryPrice', 'position.entryPrice: 0 is not > 0'],
  [{ 'position.quantity': 0 }, 'position.quantity', 'position.quantity: 0 is not > 0'],
  [{ 'position.quantity': '-1' }, 'position.quantity', 'position.quantity: "-1" is not > 0'],
  [
    { 'position.side': 'sideways' },
    'position.side',
    'position.side: "sideways" is not one of long, short',
  ],
  [
    { 'position.openedAt': 1.5 },
    'position.openedAt',
    'position.openedAt: 1.5 is not an integer (milliseconds)',
  ],
  [{ 'position.openedAt': 'soon' }, 'position.openedAt', 'is not an integer'],
  [{ position: undefined }, 'position', 'position: missing; required: an object'],
  [{ policy: 'tight' }, 'policy', 'policy: "tight" is not an object'],
  // initialStop: required, exactly one of percent/price, on the protective side of entry
  [{ 'policy.initialStop': undefined }, 'policy.initialStop', 'policy.initialStop: missing'],
  [{ 'policy.initialStop': {} }, 'policy.initialStop', 'has none of percent, price'],
  [
    { 'policy.initialStop': { percent: 2, price: 98 } },
    'policy.initialStop',
    'has percent and price; exactly one of percent, price',
  ],
  [
    { 'policy.initialStop': { percent: 0 } },
    'policy.initialStop.percent',
    'policy.initialStop.percent: 0 is not > 0',
  ],
  [
    { 'policy.initialStop': { percent: 100 } },
    'policy.initialStop.percent',
    '100 is not in (0, 100)',
  ],
  [
    { 'policy.initialStop': { price: 100 } },
    'policy.initialStop.price',
    '100 is not below the entry price 100',
  ],
  [
    { 'policy.initialStop': { price: 0 } },
    'policy.initialStop.price',
    'policy.initialStop.price: 0 is not > 0',
  ],
  [
    { 'position.side': 'short', 'policy.initialStop': { price: 99 } },
    'policy.initialStop.price',
    '99 is not above the entry price 100',
  ],
  // activation
  [{ 'policy.activation': {} }, 'policy.activation', 'has no condition that can ever hold'],
  [
    { 'policy.activation': { immediate: false } },
    'policy.activation',
    '{ immediate: false } has no condition',
  ],
  [
    { 'policy.activation': { profitPercent: 1, minProfitPercent: 0.2 } },
    'policy.activation.minProfitPercent',
    'is only allowed together with afterSeconds',
  ],
  [
    { 'policy.activation': { afterSeconds: -1 } },
    'policy.activation.afterSeconds',
    '-1 is not >= 0',
  ],
  [{ 'policy.activation': { price: 0 } }, 'policy.activation.price', '0 is not > 0'],
  [
    { 'policy.activation': { immediate: 'yes' } },
    'policy.activation.immediate',
    '"yes" is not true or false',
  ],
  // trailing distance: exactly one of percent/price/ticks, each > 0, ticks a positive integer
  [{ 'policy.trailing': { tiers: [] } }, 'policy.trailing', 'has none of percent, price, ticks'],
  [{ 'policy.trailing': { percent: 1, ticks: 2 } }, 'policy.trailing', 'has percent and ticks'],
  [
    { 'policy.trailing.percent': 0 },
    'policy.trailing.percent',
    'policy.trailing.percent: 0 is not > 0',
  ],
  [{ 'policy.trailing.percent': -1 }, 'policy.trailing.percent', '-1 is not > 0'],
  [{ 'policy.trailing.percent': 100 }, 'policy.trailing.percent', '100 is not in (0, 100)'],
  [{ 'policy.trailing': { price: 0 } }, 'policy.trailing.price', '0 is not > 0'],
  [{ 'policy.trailing': { ticks: 1.5 } }, 'policy.trailing.ticks', '1.5 is not a positive integer'],
  [{ 'policy.trailing': { ticks: 0 } }, 'policy.trailing.ticks', '0 is not a positive integer'],
  // tiers: strictly ascending, each with exactly one distance
  [
    {
      'policy.trailing.tiers': [
        { fromProfitPercent: 1, percent: 1 },
        { fromProfitPercent: 1, percent: 0.5 },
      ],
    },
    'policy.trailing.tiers[1].fromProfitPercent',
    "1 is not greater than the previous tier's 1",
  ],
  [
    {
      'policy.trailing.tiers': [
        { fromProfitPercent: 2, percent: 1 },
        { fromProfitPercent: 1, percent: 0.5 },
      ],
    },
    'policy.trailing.tiers[1].fromProfitPercent',
    'tiers must be strictly ascending',
  ],
  [
    { 'policy.trailing.tiers': [{ fromProfitPercent: 1 }] },
    'policy.trailing.tiers[0]',
    'has none of percent, price, ticks',
  ],
  [
    { 'policy.trailing.tiers': [{ fromProfitPercent: 1, percent: 0 }] },
    'policy.trailing.tiers[0].percent',
    '0 is not > 0',
  ],
  [
    { 'policy.trailing.tiers': [{ fromProfitPercent: 1, percent: 150 }] },
    'policy.trailing.tiers[0].percent',
    'is not in (0, 100)',
  ],
  [
    { 'policy.trailing.tiers': [{ fromProfitPercent: -1, percent: 1 }] },
    'policy.trailing.tiers[0].fromProfitPercent',
    '-1 is not >= 0',
  ],
  [
    { 'policy.trailing.tiers': { fromProfitPercent: 1, percent: 1 } },
    'policy.trailing.tiers',
    'is not a list',
  ],
  // momentum
  [
    { 'policy.trailing.momentum.factor': 0 },
    'policy.trailing.momentum.factor',
    '0 is not in (0, 1]',
  ],
  [
    { 'policy.trailing.momentum.factor': 1.5 },
    'policy.trailing.momentum.factor',
    '1.5 is not in (0, 1]',
  ],
  [
    { 'policy.trailing.momentum.releasePercent': 0.6 },
    'policy.trailing.momentum.releasePercent',
    '0.6 is not < thresholdPercent (0.6)',
  ],
  [
    { 'policy.trailing.momentum.releasePercent': 0.9 },
    'policy.trailing.momentum.releasePercent',
    'is not < thresholdPercent',
  ],
  [
    { 'policy.trailing.momentum.windowSeconds': 0 },
    'policy.trailing.momentum.windowSeconds',
    '0 is not > 0',
  ],
  [
    { 'policy.trailing.momentum.thresholdPercent': 0 },
    'policy.trailing.momentum.thresholdPercent',
    '0 is not > 0',
  ],
  // breakeven
  [{ 'policy.breakeven.triggerPercent': 0 }, 'policy.breakeven.triggerPercent', '0 is not > 0'],
  [
    { 'policy.breakeven.offsetPercent': 0.8 },
    'policy.breakeven.offsetPercent',
    '0.8 is not < triggerPercent (0.8)',
  ],
  [
    { 'policy.breakeven.offsetPercent': 2 },
    'policy.breakeven.offsetPercent',
    '2 is not < triggerPercent (0.8)',
  ],
  [
    // a negative offset is allowed (a stop just short of entry), but not below -100 %
    { 'policy.breakeven.offsetPercent': -100 },
    'policy.breakeven.offsetPercent',
    '-100 is not > -100',
  ],
  // elastic (SETE)
  [
    { 'policy.elastic.pullback': 1.4 },
    'policy.elastic.pullback',
    'policy.elastic.pullback: 1.4 is not in (0, 1)',
  ],
  [{ 'policy.elastic.pullback': 0 }, 'policy.elastic.pullback', '0 is not in (0, 1)'],
  [{ 'policy.elastic.pullback': 1 }, 'policy.elastic.pullback', '1 is not in (0, 1)'],
  [{ 'policy.elastic.unit': 'usd' }, 'policy.elastic.unit', '"usd" is not one of quote, percent'],
  [{ 'policy.elastic.engageAt': -1 }, 'policy.elastic.engageAt', '-1 is not >= 0'],
  [{ 'policy.elastic.floor': -1 }, 'policy.elastic.floor', '-1 is not >= 0'],
  [{ 'policy.elastic.minStep': -0.1 }, 'policy.elastic.minStep', '-0.1 is not >= 0'],
  [
    { 'policy.elastic.bigJump.margin': 0.4 },
    'policy.elastic.bigJump.margin',
    '0.4 is not < threshold (0.4)',
  ],
  [{ 'policy.elastic.bigJump.margin': -0.1 }, 'policy.elastic.bigJump.margin', '-0.1 is not >= 0'],
  [{ 'policy.elastic.bigJump.threshold': 0 }, 'policy.elastic.bigJump.threshold', '0 is not > 0'],
  [
    { 'policy.elastic.bigJump.windowSeconds': 0 },
    'policy.elastic.bigJump.windowSeconds',
    '0 is not > 0',
  ],
  [{ 'policy.elastic.peakLock.lock': 1 }, 'policy.elastic.peakLock.lock', '1 is not < trigger (1)'],
  [
    { 'policy.elastic.peakLock.lock': 1.5 },
    'policy.elastic.peakLock.lock',
    '1.5 is not < trigger (1)',
  ],
  [{ 'policy.elastic.peakLock.trigger': 0 }, 'policy.elastic.peakLock.trigger', '0 is not > 0'],
  [{ 'policy.elastic.peakLock.lock': -1 }, 'policy.elastic.peakLock.lock', '-1 is not >= 0'],
  // ticks and candles: structure only (prices are the engine's)
  [
    {
      ticks: [
        [1000, '1'],
        [2000.5, '2'],
      ],
    },
    'ticks[1][0]',
    'ticks[1][0]: 2000.5 is not an integer (milliseconds)',
  ],
  [
    {
      ticks: [
        [1000, '1'],
        [2000, '2'],
        [3000, '3'],
        ['abc', '4'],
      ],
    },
    'ticks[3][0]',
    'ticks[3][0]: "abc" is not an integer',
  ],
  [{ ticks: [[1000]] }, 'ticks[0]', 'ticks[0]: [1000] is not a [ts, price] pair'],
  [{ ticks: 'none' }, 'ticks', 'is not a list'],
  [{ candles: [[0, '1', '1', '1', '1']] }, '', 'has both ticks and candles'],
  [{ ticks: undefined }, '', 'has neither ticks nor candles'],
  [{ candlePath: 'highFirst' }, 'candlePath', 'is only allowed with candles'],
  [
    { ticks: undefined, candles: [[0, '1', '2', '1', '1']], candlePath: 'middle' },
    'candlePath',
    'is not one of auto, highFirst, lowFirst',
  ],
  [
    { ticks: undefined, candles: [[0, '1', 'abc', '1', '1']] },
    'candles[0][2]',
    '"abc" is not a decimal price > 0',
  ],
  [
    { ticks: undefined, candles: [[0, '0', '1', '0', '1']] },
    'candles[0][1]',
    'is not a decimal price > 0',
  ],
  [
    { ticks: undefined, candles: [[0, '1', '2', '1', '3']] },
    'candles[0][2]',
    "is below the candle's open, close or low",
  ],
  [
    { ticks: undefined, candles: [[0, '2', '3', '2.5', '2.8']] },
    'candles[0][3]',
    "is above the candle's open or close",
  ],
  [
    { ticks: undefined, candles: [[0, '1', '2', '1']] },
    'candles[0]',
    'is not a [ts, open, high, low, close] list',
  ],
  [
    { ticks: undefined, candles: [[0.5, '1', '2', '1', '1']] },
    'candles[0][0]',
    'is not an integer',
  ],
];

describe('refused configurations', () => {
  it.each(refused)('%j → %s', (changes, path, message) => {
    let doc: unknown = baseScenario();
    for (const [key, value] of Object.entries(changes)) doc = withChange(doc, key, value);
    const error = configErrorOf(() => load(doc));
    const issue = error.issues.find((i) => i.path === path);
    expect(issue, `issues: ${error.message}`).toBeDefined();
    expect(issue?.message).toContain(message);
    expect(error.message).toContain(message);
    // Every issue names what is allowed, and the message is one readable line per issue.
    for (const i of error.issues) {
      expect(i.allowed).not.toBe('');
      expect(i.message).not.toContain('\n');
    }
    expect(error.message).not.toMatch(/^\s+at /m);
  });
});

// Each row is a configuration the SPEC allows even though it may look odd.
const accepted: readonly (readonly [what: string, changes: Record<string, unknown>])[] = [
  // an activation block with no trailing block: the distance region just stays off
  ['activation without trailing', { 'policy.trailing': undefined }],
  // immediate false is fine when another condition can hold
  ['immediate false plus a price', { 'policy.activation': { immediate: false, price: 101 } }],
  [
    'afterSeconds 0 with minProfitPercent',
    { 'policy.activation': { afterSeconds: 0, minProfitPercent: -0.5 } },
  ],
  // a short's percent stop is above entry whatever the percent
  [
    'short with a 150 % initial stop',
    { 'position.side': 'short', 'policy.initialStop': { percent: 150 } },
  ],
  [
    'short with a price stop above entry',
    { 'position.side': 'short', 'policy.initialStop': { price: '100.01' } },
  ],
  ['long with a price stop below entry', { 'policy.initialStop': { price: '99.99' } }],
  ['negative releasePercent', { 'policy.trailing.momentum.releasePercent': -0.5 }],
  ['factor exactly 1', { 'policy.trailing.momentum.factor': 1 }],
  ['trailing in ticks', { 'policy.trailing': { ticks: 12 } }],
  [
    'trailing by price with tiers in ticks',
    { 'policy.trailing': { price: 0.15, tiers: [{ fromProfitPercent: 0, ticks: 3 }] } },
  ],
  ['empty ticks', { ticks: [] }],
  [
    'decimal strings in exponent form',
    { 'position.entryPrice': '1.77E+3', 'market.tickSize': '5e-1' },
  ],
  ['no optional blocks at all', { policy: { initialStop: { percent: 2 } } }],
];

describe('accepted configurations', () => {
  it.each(accepted)('%s', (_what, changes) => {
    let doc: unknown = baseScenario();
    for (const [key, value] of Object.entries(changes)) doc = withChange(doc, key, value);
    expect(() => load(doc)).not.toThrow();
  });
});

describe('normalization', () => {
  it('fills in the defaults and turns every policy number into a decimal string', () => {
    const doc = withChange(
      withChange(baseScenario(), 'policy.breakeven', { triggerPercent: 0.8 }),
      'policy.elastic',
      { unit: 'percent', engageAt: 0.3, pullback: 0.3 },
    );
    const scenario = load(doc);
    expect(scenario.policy.breakeven).toEqual({ triggerPercent: '0.8', offsetPercent: '0' });
    expect(scenario.policy.elastic).toEqual({
      unit: 'percent',
      engageAt: '0.3',
      pullback: '0.3',
      floor: '0',
      minStep: '0',
    });
    expect(scenario.policy.trailing).toEqual({
      percent: '1',
      tiers: [{ fromProfitPercent: '1', percent: '0.5' }],
      momentum: {
        windowSeconds: '30',
        thresholdPercent: '0.6',
        releasePercent: '0.2',
        factor: '0.5',
      },
    });
    expect(scenario.policy.activation).toEqual({ profitPercent: '0.5' });
    expect(scenario.position).toEqual({
      side: 'long',
      entryPrice: '100',
      quantity: '2',
      openedAt: 0,
    });
  });

  it('writes exponent-form decimals in plain notation and keeps plain ones verbatim', () => {
    const doc = withChange(
      withChange(baseScenario(), 'position.entryPrice', '1.77E+3'),
      'market.tickSize',
      '0.010',
    );
    const scenario = load(doc);
    expect(scenario.position.entryPrice).toBe('1770');
    expect(scenario.market.tickSize).toBe('0.010');
  });

  it('omits optional blocks that are absent instead of setting them to undefined', () => {
    const scenario = load(withChange(baseScenario(), 'policy', { initialStop: { price: '98' } }));
    expect(Object.keys(scenario.policy)).toEqual(['initialStop']);
    expect(scenario.policy.initialStop).toEqual({ price: '98' });
  });
});

describe('several problems at once', () => {
  it('reports every independent problem, one line each under a count', () => {
    let doc: unknown = baseScenario();
    doc = withChange(doc, 'market.tickSize', 0);
    doc = withChange(doc, 'policy.elastic.pullback', 1.4);
    doc = withChange(doc, 'policy.trailing.momentum.factor', 2);
    const error = configErrorOf(() => load(doc));
    expect(error.issues.map((i) => i.path)).toEqual([
      'market.tickSize',
      'policy.trailing.momentum.factor',
      'policy.elastic.pullback',
    ]);
    expect(error.message.split('\n')).toEqual([
      '3 configuration errors:',
      '  market.tickSize: 0 is not > 0',
      '  policy.trailing.momentum.factor: 2 is not in (0, 1]',
      '  policy.elastic.pullback: 1.4 is not in (0, 1)',
    ]);
  });

  it('gives a single problem as a single line with structured fields', () => {
    const error = configErrorOf(() =>
      load(withChange(baseScenario(), 'policy.elastic.pullback', 1.4)),
    );
    expect(error.message).toBe('policy.elastic.pullback: 1.4 is not in (0, 1)');
    expect(error.issues).toEqual([
      {
        path: 'policy.elastic.pullback',
        value: '1.4',
        allowed: 'in (0, 1)',
        message: 'policy.elastic.pullback: 1.4 is not in (0, 1)',
      },
    ]);
    expect(error.name).toBe('ConfigError');
  });
});
