import { describe, expect, it } from 'vitest';
import { closestKey, levenshtein, parseScenarioText } from '../../src/config/index.ts';
import { baseScenario, configErrorOf, withChange } from './helpers.ts';

describe('levenshtein', () => {
  it.each([
    // [a, b, distance]
    ['', '', 0],
    ['percent', 'percent', 0],
    ['percnt', 'percent', 1], // one deletion
    ['pullbak', 'pullback', 1],
    ['kitten', 'sitting', 3], // the textbook case
    ['abc', '', 3],
  ] as const)('%s ↔ %s = %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('closestKey', () => {
  const policyKeys = ['initialStop', 'activation', 'trailing', 'breakeven', 'elastic'];
  it.each([
    // [typo, expected suggestion]
    ['trailling', 'trailing'],
    ['initalStop', 'initialStop'],
    ['initialstop', 'initialStop'], // case slip
    ['breakEven', 'breakeven'],
    ['elastik', 'elastic'],
    ['trail', 'trailing'], // truncation, 3 edits away
    ['break', 'breakeven'], // truncation, 4 edits away
    ['zzzzzzzzzz', undefined], // nothing plausible: no suggestion
  ] as const)('%s → %s', (typo, expected) => {
    expect(closestKey(typo, policyKeys)).toBe(expected);
  });
});

describe('unknown keys in a scenario', () => {
  const load = (doc: unknown) => parseScenarioText(JSON.stringify(doc));

  it.each([
    // [where the stray key goes, the stray key, the suggestion expected in the message]
    ['', 'tick', 'ticks'],
    ['market', 'ticksize', 'tickSize'],
    ['position', 'entry', 'entryPrice'],
    ['policy', 'trailling', 'trailing'],
    ['policy.trailing', 'percnt', 'percent'],
    ['policy.trailing.momentum', 'windowSecs', 'windowSeconds'],
    ['policy.elastic', 'pullbak', 'pullback'],
    ['policy.elastic.peakLock', 'triger', 'trigger'],
    ['policy.activation', 'afterSecond', 'afterSeconds'],
  ] as const)('%s.%s suggests %s', (where, key, suggestion) => {
    const doc = withChange(baseScenario(), where === '' ? key : `${where}.${key}`, 1);
    const error = configErrorOf(() => load(doc));
    const path = where === '' ? key : `${where}.${key}`;
    const issue = error.issues.find((i) => i.path === path);
    expect(issue?.message).toContain(`${path}: unknown key (did you mean "${suggestion}"?)`);
    expect(issue?.allowed).toContain(suggestion);
  });

  it('lists the allowed keys without a guess when nothing is close', () => {
    const error = configErrorOf(() =>
      load(withChange(baseScenario(), 'policy.elastic.qqqqqqqqqq', 1)),
    );
    expect(error.message).toBe(
      'policy.elastic.qqqqqqqqqq: unknown key; the keys allowed in policy.elastic are unit, engageAt, pullback, floor, minStep, bigJump, peakLock',
    );
  });

  it('reports each unknown key of one object separately', () => {
    let doc = withChange(baseScenario(), 'market.ticksize', 1);
    doc = withChange(doc, 'market.lot', 1);
    const error = configErrorOf(() => load(doc));
    expect(error.issues.map((i) => i.path)).toEqual(['market.ticksize', 'market.lot']);
  });
});
