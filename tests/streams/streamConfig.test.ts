import { describe, expect, it } from 'vitest';

import {
  parseStreamConfig,
  StreamConfigError,
  streamConfigSchema,
} from '../../src/streams/streamConfig.ts';

describe('parseStreamConfig', () => {
  it('fills every default from an empty block', () => {
    expect(parseStreamConfig({})).toEqual({
      fastMs: 300,
      normalMs: 3000,
      fastWhenProfit: { percent: '0' },
      downgradeAfterCycles: 3,
      maxPriceAgeMs: 5000,
      backoff: { initialMs: 500, maxMs: 30_000, factor: 2 },
      priceSource: 'trades',
      pollIntervalMs: 1000,
      clockPeriodMs: 1000,
    });
    expect(parseStreamConfig(undefined)).toEqual(parseStreamConfig({}));
  });

  it('keeps a numeric threshold as decimal text', () => {
    expect(parseStreamConfig({ fastWhenProfit: { quote: 12.5 } }).fastWhenProfit).toEqual({
      quote: '12.5',
    });
  });

  it('fills backoff defaults inside a partial backoff block', () => {
    expect(parseStreamConfig({ backoff: { initialMs: 100 } }).backoff).toEqual({
      initialMs: 100,
      maxMs: 30_000,
      factor: 2,
    });
  });

  it('accepts intervals of 0 (pass-through lanes)', () => {
    expect(parseStreamConfig({ fastMs: 0, normalMs: 0 })).toMatchObject({ fastMs: 0, normalMs: 0 });
  });

  // One row per refusal: input, text the message must contain.
  const refusals: [unknown, string][] = [
    [
      { fastMs: -5 },
      'streams.fastMs: -5 is not allowed: must be a whole number of milliseconds ≥ 0',
    ],
    [{ normalMs: 1.5 }, 'streams.normalMs: 1.5 is not allowed'],
    [{ fastMs: 5000 }, 'streams.fastMs is not allowed: fastMs must be ≤ normalMs'],
    [{ maxPriceAgeMs: 0 }, 'streams.maxPriceAgeMs: 0 is not allowed'],
    [
      { downgradeAfterCycles: 0 },
      'streams.downgradeAfterCycles: 0 is not allowed: must be a whole number ≥ 1',
    ],
    [{ priceSource: 'bookTicker' }, 'streams.priceSource: "bookTicker" is not allowed'],
    [
      { fastWhenProfit: { percent: 'abc' } },
      'streams.fastWhenProfit.percent: "abc" is not allowed: must be a finite decimal number',
    ],
    [
      { fastWhenProfit: { pct: 1 } },
      'streams.fastWhenProfit: {"pct":1} is not allowed: must be { quote: <decimal> } or { percent: <decimal> }',
    ],
    [
      { backoff: { initialMs: 100, maxMs: 50 } },
      'streams.backoff.maxMs is not allowed: maxMs must be ≥ initialMs',
    ],
    [{ backoff: { factor: 0.5 } }, 'streams.backoff.factor: 0.5 is not allowed: must be ≥ 1'],
    [{ fastMS: 100 }, 'streams has unknown key(s) "fastMS"; allowed are fastMs, normalMs'],
  ];
  it.each(refusals)('refuses %j, naming the key', (input, text) => {
    expect(() => parseStreamConfig(input)).toThrow(StreamConfigError);
    expect(() => parseStreamConfig(input)).toThrow(text);
  });

  it('writes one paragraph listing every problem, under the given prefix', () => {
    let message = '';
    try {
      parseStreamConfig({ fastMs: -1, clockPeriodMs: 'x' }, 'engine.streams');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^Invalid stream configuration\. engine\.streams\.fastMs: -1 .*; engine\.streams\.clockPeriodMs: "x" /,
    );
  });

  it('exports the schema for the engine config to embed', () => {
    expect(streamConfigSchema.safeParse({ fastMs: 100 }).success).toBe(true);
  });
});
