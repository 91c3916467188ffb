import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleScenario,
  loadPolicyFile,
  loadPositionFile,
  loadReplayInputs,
  loadScenarioFile,
  loadTicksCsv,
  parsePolicy,
  parsePosition,
  parseTicksCsv,
} from '../../src/config/index.ts';
import { configErrorOf, configErrorOfAsync } from './helpers.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => join(fixtures, name);
const specDir = join(import.meta.dirname, '..', '..', 'examples', 'spec');
const specExamples = readdirSync(specDir).filter((f) => f.endsWith('.json'));

describe('the SPEC examples', () => {
  it('are all there', () => {
    expect(specExamples.length).toBeGreaterThanOrEqual(13);
  });

  it.each(specExamples)('%s loads', async (name) => {
    const scenario = await loadScenarioFile(join(specDir, name));
    expect(scenario.ticks.length).toBeGreaterThan(0);
    expect(['long', 'short']).toContain(scenario.position.side);
  });

  it('keeps bad tick prices and out-of-order ts for the engine to reject', async () => {
    const scenario = await loadScenarioFile(join(specDir, 'bad-ticks-and-ticks-distance.json'));
    expect(scenario.ticks.slice(0, 5)).toEqual([
      { ts: 1000, price: '1832.5' },
      { ts: 2000, price: '-4' },
      { ts: 3000, price: '1840' },
      { ts: 2500, price: '1850' },
      { ts: 4000, price: 'NaN' },
    ]);
    expect(scenario.policy.trailing).toEqual({ ticks: '12' });
  });

  it('expands the candle examples with their candlePath', async () => {
    const scenario = await loadScenarioFile(join(specDir, 'freqtrade-tc8-candles.json'));
    // highFirst: open, high, low, close of [7200000,"5000","5250","4750","4850"]
    expect(scenario.ticks.slice(4, 8)).toEqual([
      { ts: 7200000, price: '5000' },
      { ts: 7200001, price: '5250' },
      { ts: 7200002, price: '4750' },
      { ts: 7200003, price: '4850' },
    ]);
  });
});

describe('loadScenarioFile', () => {
  it('loads YAML with exact numbers, defaults and text prices', async () => {
    const scenario = await loadScenarioFile(fixture('scenario.yaml'));
    expect(scenario.market).toEqual({ tickSize: '0.0001' });
    expect(scenario.position).toEqual({
      side: 'long',
      entryPrice: '100',
      quantity: '10',
      openedAt: 0,
    });
    expect(scenario.policy.elastic).toEqual({
      unit: 'quote',
      engageAt: '0.10',
      pullback: '0.40',
      floor: '0',
      minStep: '0.10',
      bigJump: { threshold: '0.40', windowSeconds: '5', margin: '0.10' },
      peakLock: { trigger: '1.00', lock: '0.80' },
    });
    expect(scenario.ticks).toEqual([
      { ts: 0, price: '100.056' },
      { ts: 1000, price: '100.034' },
      { ts: 2000, price: '0.1234567890123456789' },
      { ts: 3000, price: 'NaN' },
      { ts: 4000, price: '100.110' },
    ]);
  });

  it('names the missing file', async () => {
    const error = await configErrorOfAsync(() => loadScenarioFile(fixture('nope.json')));
    expect(error.message).toBe(`${fixture('nope.json')}: file not found`);
    expect(error.file).toBe(fixture('nope.json'));
  });

  it('gives line and column of a JSON syntax error', async () => {
    const error = await configErrorOfAsync(() => loadScenarioFile(fixture('syntax-error.json')));
    expect(error.message).toBe(
      `${fixture('syntax-error.json')}: line 3, column 32: JSON syntax error: Comma ',' expected after value but got '"'`,
    );
    expect(error.message).not.toContain('\n');
  });

  it('gives line and column of a YAML syntax error', async () => {
    const error = await configErrorOfAsync(() => loadScenarioFile(fixture('syntax-error.yaml')));
    expect(error.message).toMatch(
      /syntax-error\.yaml: line 3, column 1: YAML syntax error: Flow sequence/,
    );
    expect(error.message).not.toContain('\n');
  });

  it('refuses duplicate YAML keys with their line', async () => {
    const error = await configErrorOfAsync(() => loadScenarioFile(fixture('duplicate-key.yaml')));
    expect(error.message).toBe(
      `${fixture('duplicate-key.yaml')}: line 3, column 3: YAML syntax error: Map keys must be unique`,
    );
  });

  it('prefixes validation messages with the file name', async () => {
    const error = await configErrorOfAsync(() => loadScenarioFile(fixture('policy.yaml')));
    expect(error.message.split('\n')[0]).toBe(`${fixture('policy.yaml')}: 6 configuration errors:`);
    expect(error.message).toContain('initialStop: unknown key');
  });
});

describe('loadPolicyFile', () => {
  it('loads a bare YAML policy', async () => {
    const policy = await loadPolicyFile(fixture('policy.yaml'));
    expect(policy).toEqual({
      initialStop: { percent: '1.5' },
      activation: { profitPercent: '0.5' },
      trailing: {
        percent: '0.8',
        tiers: [{ fromProfitPercent: '1.5', percent: '0.4' }],
        momentum: {
          windowSeconds: '30',
          thresholdPercent: '0.6',
          releasePercent: '0.2',
          factor: '0.5',
        },
      },
    });
  });

  it('loads a policy wrapped in { policy }, with default offset', async () => {
    expect(await loadPolicyFile(fixture('policy-wrapped.json'))).toEqual({
      initialStop: { price: '64000' },
      breakeven: { triggerPercent: '1', offsetPercent: '0' },
    });
  });

  it.each([
    // [document, expected message]
    [{ initialStop: { percent: 0 } }, 'initialStop.percent: 0 is not > 0'],
    [{ policy: { initialStop: { percent: 0 } } }, 'policy.initialStop.percent: 0 is not > 0'],
    [{ policy: { initialStop: { percent: 1 } }, ticks: [] }, 'ticks: unknown key'],
    [
      { initialStop: { percent: 1 }, trailng: { percent: 1 } },
      'trailng: unknown key (did you mean "trailing"?)',
    ],
  ] as const)('refuses %j', (doc, message) => {
    expect(configErrorOf(() => parsePolicy(doc)).message).toContain(message);
  });
});

describe('loadPositionFile', () => {
  it('loads the nested form', async () => {
    expect(await loadPositionFile(fixture('position.json'))).toEqual({
      market: { tickSize: '0.1' },
      position: { side: 'short', entryPrice: '64250', quantity: '0.5', openedAt: 0 },
    });
  });

  it('loads the flat form', async () => {
    expect(await loadPositionFile(fixture('position-flat.yaml'))).toEqual({
      market: { tickSize: '0.1' },
      position: { side: 'short', entryPrice: '64250', quantity: '0.5', openedAt: 0 },
    });
  });

  it('leaves out the market when the file has no tick size', async () => {
    const file = await loadPositionFile(fixture('position-no-market.json'));
    expect('market' in file).toBe(false);
  });

  it.each([
    // [document, expected message]
    [{ side: 'long', entryPrice: 0, quantity: 1, openedAt: 0 }, 'entryPrice: 0 is not > 0'],
    [
      { side: 'long', entryPrice: 1, quantity: 1, openedAt: 0, ticksize: 1 },
      'ticksize: unknown key (did you mean "tickSize"?)',
    ],
    [
      {
        position: { side: 'long', entryPrice: 1, quantity: 1, openedAt: 0 },
        market: { tickSize: 0 },
      },
      'market.tickSize: 0 is not > 0',
    ],
    [
      { position: { side: 'long', entryPrice: 1, quantity: 1 } },
      'position.openedAt: missing; required: an integer',
    ],
  ] as const)('refuses %j', (doc, message) => {
    expect(configErrorOf(() => parsePosition(doc)).message).toContain(message);
  });
});

describe('ticks CSV', () => {
  it('reads a header, skips blank lines and keeps prices as text', async () => {
    expect(await loadTicksCsv(fixture('ticks.csv'))).toEqual([
      { ts: 1000, price: '64200' },
      { ts: 2000, price: '64100.5' },
      { ts: 3000, price: 'NaN' },
      { ts: 4000, price: '-4' },
    ]);
  });

  it('reads CRLF lines without a header', async () => {
    expect(await loadTicksCsv(fixture('ticks-no-header.csv'))).toEqual([
      { ts: 1000, price: '64200' },
      { ts: 2000, price: '64100' },
    ]);
  });

  it('names the line number of every malformed line', async () => {
    const error = await configErrorOfAsync(() => loadTicksCsv(fixture('ticks-bad.csv')));
    expect(error.issues.map((i) => i.message)).toEqual([
      'line 3: "2000,64100,7" has 3 columns, not 2 (ts,price)',
      'line 4: ts "3000.5" is not an integer (milliseconds)',
      'line 5: "4000" has 1 column, not 2 (ts,price)',
      'line 6: ts "abc" is not an integer (milliseconds)',
    ]);
    expect(error.message.split('\n')[0]).toBe(
      `${fixture('ticks-bad.csv')}: 4 configuration errors:`,
    );
  });

  it.each([
    // [csv text, ticks]
    ['ts,price\n', []],
    ['1,"2.5"\n', [{ ts: 1, price: '2.5' }]], // quoted fields
    [' 5 , abc ', [{ ts: 5, price: 'abc' }]], // spaces trimmed, bad price kept
  ] as const)('parses %j', (text, ticks) => {
    expect(parseTicksCsv(text)).toEqual(ticks);
  });

  it('accepts the header only on the first line', () => {
    expect(configErrorOf(() => parseTicksCsv('1,2\nts,price\n')).message).toBe(
      'line 2: ts "ts" is not an integer (milliseconds)',
    );
  });
});

describe('replay inputs from separate files', () => {
  it('assembles position, policy and CSV ticks into a scenario', async () => {
    const scenario = await loadReplayInputs({
      ticks: fixture('ticks.csv'),
      position: fixture('position.json'),
      policy: fixture('policy.yaml'),
    });
    expect(scenario.market).toEqual({ tickSize: '0.1' });
    expect(scenario.position.side).toBe('short');
    expect(scenario.policy.trailing?.tiers).toHaveLength(1);
    expect(scenario.ticks).toHaveLength(4);
  });

  it('refuses a policy whose initial stop is on the wrong side of the position', async () => {
    const error = await configErrorOfAsync(() =>
      loadReplayInputs({
        ticks: fixture('ticks.csv'),
        position: fixture('position.json'),
        policy: fixture('policy-wrapped.json'),
      }),
    );
    expect(error.message).toBe(
      `${fixture('policy-wrapped.json')}: initialStop.price: 64000 is not above the entry price 64250 (a short's initial stop must be above entry)`,
    );
  });

  it('refuses a position file without a tick size', () => {
    const error = configErrorOf(() =>
      assembleScenario({
        position: { side: 'long', entryPrice: '1', quantity: '1', openedAt: 0 },
        policy: { initialStop: { percent: '1' } },
        ticks: [],
      }),
    );
    expect(error.issues[0]?.path).toBe('market.tickSize');
  });
});
