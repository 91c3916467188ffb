import { describe, expect, it } from 'vitest';
import {
  NumberText,
  normalizeDecimal,
  parseDecimal,
  parseJsonText,
  parseScenarioText,
  parseYamlText,
} from '../../src/config/index.ts';
import { baseScenario } from './helpers.ts';

const LONG = '0.1234567890123456789';

describe('lossless numbers', () => {
  it('keeps a JSON number tick price exactly as written', () => {
    // JSON.parse would give 0.12345678901234568.
    expect(String(JSON.parse(LONG))).not.toBe(LONG);
    const json = JSON.stringify({ ...baseScenario(), ticks: [] }).replace(
      '"ticks":[]',
      `"ticks":[[1000,${LONG}],[2000,100.50]]`,
    );
    const scenario = parseScenarioText(json);
    expect(scenario.ticks).toEqual([
      { ts: 1000, price: LONG },
      { ts: 2000, price: '100.50' },
    ]);
  });

  it('keeps policy numbers exact: no binary float rounding on the way in', () => {
    const json = JSON.stringify(baseScenario()).replace('"pullback":0.4', `"pullback":${LONG}`);
    expect(parseScenarioText(json).policy.elastic?.pullback).toBe(LONG);
  });

  it('parses JSON numbers into NumberText and leaves strings alone', () => {
    expect(parseJsonText('{"a": 1.10, "b": "1.10", "c": [1e-7]}')).toEqual({
      a: new NumberText('1.10'),
      b: '1.10',
      c: [new NumberText('1e-7')],
    });
  });

  it('keeps YAML numbers exact through custom tags, including keys and aliases', () => {
    const doc = parseYamlText(
      `a: ${LONG}\nb: &x 2.50\nc: *x\nd: "3"\ne: true\n7: seven\n`,
    ) as Record<string, unknown>;
    expect(doc['a']).toEqual(new NumberText(LONG));
    expect(doc['b']).toEqual(new NumberText('2.50'));
    expect(doc['c']).toEqual(new NumberText('2.50'));
    expect(doc['d']).toBe('3');
    expect(doc['e']).toBe(true);
    expect(doc['7']).toBe('seven');
  });
});

describe('decimal literals', () => {
  it.each([
    // [text, plain form, or undefined when refused]
    ['1.77E+3', '1770'],
    ['5e-1', '0.5'],
    ['27.50', '27.50'], // trailing zero kept
    ['-0.25', '-0.25'],
    ['.5', '0.5'],
    ['007', '7'],
    ['abc', undefined],
    ['NaN', undefined],
    ['Infinity', undefined],
    ['0x1F', undefined],
    ['1e5000', undefined], // absurd exponent
    ['', undefined],
    [' 1', undefined],
  ] as const)('%j → %s', (text, plain) => {
    if (plain === undefined) {
      expect(parseDecimal(text)).toBeUndefined();
    } else {
      expect(parseDecimal(text)).toBeDefined();
      expect(normalizeDecimal(text)).toBe(plain);
    }
  });

  it('accepts plain JS numbers from callers that build scenarios in code', () => {
    const scenario = parseScenarioText(JSON.stringify(baseScenario()));
    expect(scenario.policy.initialStop).toEqual({ percent: '2' });
  });
});
