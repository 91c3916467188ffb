import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { Scenario } from '../../src/domain/types.ts';
import { replayParallel } from '../../src/replay/replayParallel.ts';
import { replayScenario } from '../../src/replay/replayScenario.ts';
import { packTicks, unpackTicks } from '../../src/replay/tickPack.ts';

const SPEC_DIR = join(import.meta.dirname, '../../examples/spec');

async function specScenarios(): Promise<Scenario[]> {
  const files = readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json'));
  return Promise.all(files.map((f) => loadScenarioFile(join(SPEC_DIR, f))));
}

describe('replayParallel', () => {
  it('replays every SPEC example in worker threads exactly as one replay does, in order', async () => {
    const scenarios = await specScenarios();
    const results = await replayParallel(scenarios, { workers: 2, deliveries: 3 });
    expect(results).toHaveLength(scenarios.length);
    results.forEach((result, i) => {
      const plain = replayScenario(scenarios[i] as Scenario);
      expect(result).toEqual({
        events: plain.events,
        summary: plain.summary,
        ticksProcessed: plain.ticksProcessed,
      });
    });
  });

  it('names the scenario a replay failed on', async () => {
    const [good] = await specScenarios();
    const bad = { ...(good as Scenario), market: { tickSize: 'abc' } };
    await expect(replayParallel([good as Scenario, bad], { workers: 2 })).rejects.toThrow(
      /^scenario 1 failed in its replay worker: /,
    );
  });

  it('returns nothing for no scenarios', async () => {
    expect(await replayParallel([])).toEqual([]);
  });
});

describe('packed ticks', () => {
  it('come back as they went, bad prices included', () => {
    const ticks = [
      { ts: 1, price: '100.5' },
      { ts: 2, price: 'NaN' },
      { ts: 2, price: '' },
      { ts: Number.NaN, price: '1.77E+3' },
    ];
    expect(unpackTicks(packTicks(ticks))).toEqual(ticks);
  });
  it('turn a price with a newline, which is no number, into NaN', () => {
    expect(unpackTicks(packTicks([{ ts: 1, price: '1\n2' }]))).toEqual([{ ts: 1, price: 'NaN' }]);
  });
});
