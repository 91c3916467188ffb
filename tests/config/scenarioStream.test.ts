import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadScenarioFile } from '../../src/config/index.ts';
import { openScenarioStream } from '../../src/config/scenarioStream.ts';
import type { Tick } from '../../src/domain/types.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

async function all(ticks: AsyncIterable<Tick>): Promise<Tick[]> {
  const out: Tick[] = [];
  for await (const t of ticks) out.push(t);
  return out;
}

function temp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ratchet-stream-')), name);
  writeFileSync(path, text);
  return path;
}

async function refusal(file: string): Promise<ConfigError> {
  const error: unknown = await openScenarioStream(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('openScenarioStream', () => {
  it.each(readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json')))(
    'reads %s exactly as the whole-file loader does',
    async (name) => {
      const file = join(SPEC_DIR, name);
      const whole = await loadScenarioFile(file);
      const streamed = await openScenarioStream(file);
      expect({
        market: streamed.market,
        position: streamed.position,
        policy: streamed.policy,
      }).toEqual({
        market: whole.market,
        position: whole.position,
        policy: whole.policy,
      });
      const ticks = await all(streamed.ticks());
      expect(ticks).toEqual(whole.ticks);
      expect(streamed.tickCount).toBe(whole.ticks.length);
      expect(await all(streamed.ticks())).toEqual(ticks); // every call reads anew
    },
  );

  it('keeps number literals exact and finds ticks wherever the key stands', async () => {
    const file = temp(
      'late.json',
      '{"ticks": [[1, 100.12345678901234567890], [2, "NaN"]], "policy": {"initialStop": {"percent": 2}, "trailing": {"ticks": 3}}, ' +
        '"market": {"tickSize": "0.01"}, "position": {"side": "long", "entryPrice": 100, "quantity": 1, "openedAt": 0}}',
    );
    const streamed = await openScenarioStream(file);
    expect(await all(streamed.ticks())).toEqual([
      { ts: 1, price: '100.12345678901234567890' },
      { ts: 2, price: 'NaN' },
    ]);
    expect(streamed.policy.trailing).toEqual({ ticks: '3' });
  });

  it('refuses a bad tick with the path the whole-file loader names', async () => {
    const text =
      '{"market": {"tickSize": "0.01"}, "position": {"side": "long", "entryPrice": "100", "quantity": "1", "openedAt": 0},' +
      ' "policy": {"initialStop": {"percent": 2}}, "ticks": [[1000, "101"], [1000.5, "102"], [3000]]}';
    const file = temp('bad.json', text);
    const streamed = await refusal(file);
    const whole = await loadScenarioFile(file).then(
      () => new ConfigError([]),
      (e: unknown) => e as ConfigError,
    );
    expect(streamed.issues.map((i) => i.path)).toEqual(whole.issues.map((i) => i.path));
    expect(streamed.message).toMatch(/ticks\[1\]\[0\]/);
    expect(streamed.message).toMatch(/ticks\[2\]/);
  });

  it('reports header and tick problems together, before anything runs', async () => {
    const file = temp(
      'both.json',
      '{"market": {"tickSize": "0"}, "position": {"side": "long", "entryPrice": "100", "quantity": "1", "openedAt": 0},' +
        ' "policy": {"initialStop": {"percent": 2}}, "ticks": [["x", "101"]]}',
    );
    const error = await refusal(file);
    expect(error.issues.map((i) => i.path)).toEqual(['market.tickSize', 'ticks[0][0]']);
  });

  it('refuses a missing file and broken JSON with a one-paragraph message', async () => {
    expect((await refusal('/nonexistent/scenario.json')).message).toMatch(/file not found/);
    expect((await refusal(temp('broken.json', '{"market": {"tickSize": '))).message).toMatch(
      /JSON syntax error/,
    );
  });
});
