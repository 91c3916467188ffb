import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import { Dec } from '../../src/domain/money.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');
const scenarios = readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'));

/** Decimal strings compare by value ("27.50" equals "27.5"); everything else exactly. */
function normalize(line: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    out[key] = typeof value === 'string' && /^-?\d/.test(value) ? new Dec(value).toFixed() : value;
  }
  return out;
}

describe('the SPEC examples replay exactly', () => {
  it('has every SPEC example with its expectation', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(13);
  });
  it.each(scenarios)('%s', async (file) => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, file));
    const { events, summary } = replayScenario(scenario);
    const expected = readFileSync(
      join(SPEC_DIR, file.replace(/\.json$/, '.expected.jsonl')),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((line) => normalize(JSON.parse(line) as Record<string, unknown>));
    const got = [...events, summary].map((e) => normalize({ ...e }));
    expect(got).toEqual(expected);
  });
});

describe('replayScenario', () => {
  it('stops sending ticks after the exit and reports how many it processed', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'sete-bigjump.json'));
    const result = replayScenario(scenario);
    expect(result.ticksProcessed).toBe(4); // the tick at 4000 comes after the exit at 3000
    expect(result.summary.exited).toBe(true);
  });
  it('reports each event with the tick that produced it', async () => {
    const scenario = await loadScenarioFile(join(SPEC_DIR, 'sete-bigjump.json'));
    const seen: [string, number][] = [];
    replayScenario(scenario, (event, index) => seen.push([event.type, index]));
    expect(seen).toEqual([
      ['opened', -1],
      ['elasticEngaged', 0],
      ['stopMoved', 0],
      ['bigJumpLocked', 2],
      ['stopMoved', 2],
      ['exited', 3],
    ]);
  });
});

describe('tick prices that are not numbers at all', () => {
  it('rejects null, true and objects at run time as "not a number" and goes on', async () => {
    const { parseScenarioText } = await import('../../src/config/index.ts');
    const scenario = parseScenarioText(
      '{"market": {"tickSize": "0.01"}, "position": {"side": "long", "entryPrice": "100", "quantity": "1", "openedAt": 0},' +
        ' "policy": {"initialStop": {"percent": 2}, "breakeven": {"triggerPercent": 0.5, "offsetPercent": -0.3}},' +
        ' "ticks": [[1, "100.5"], [2, null], [3, true], [4, {"p": 1}], [5, "99.7"]]}',
    );
    const lines = replayScenario(scenario).events.map((e) =>
      'why' in e ? `${e.type}:${e.why}` : e.type,
    );
    expect(lines).toEqual([
      'opened',
      'breakevenReached',
      'stopMoved', // a negative offset: the stop goes to 99.7, just short of entry
      'tickRejected:not a number',
      'tickRejected:not a number',
      'tickRejected:not a number',
      'exited',
    ]);
  });
});
