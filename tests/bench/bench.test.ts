import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * A smoke test of `npm run bench -- --quick --json`: it proves every stage still runs and the
 * JSON keeps the shape. It asserts no timings (shared machines drift), and shrinks the
 * run with --size and --actors so the whole bench fits well inside a test timeout.
 */

const BENCH = fileURLToPath(new URL('../../bin/bench.mjs', import.meta.url));
const run = promisify(execFile);

const KEYS = [
  'rules.ticksPerSecond',
  'rules.baselineTicksPerSecond',
  'rules.ratio',
  'machine.ticksPerSecond',
  'actors.createMs',
  'actors.bytesPerActor',
  'actors.ticksPerSecond',
  'persistence.persistMs',
  'persistence.rawWriteMs',
  'persistence.restoreMs',
  'persistence.rawReadMs',
  'replay.ticksPerSecond',
  'replay.peakRssBytes',
] as const;

function lookup(document: unknown, path: string): unknown {
  let value: unknown = document;
  for (const key of path.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

describe('npm run bench -- --quick --json', () => {
  it('prints one JSON document with every key, all numbers positive', async () => {
    const { stdout } = await run(
      process.execPath,
      [BENCH, '--quick', '--json', '--size', '3000', '--actors', '300'],
      { maxBuffer: 16 * 1024 * 1024, timeout: 90_000 },
    );
    const document = JSON.parse(stdout) as unknown;
    for (const key of KEYS) {
      const value = lookup(document, key);
      expect(typeof value, key).toBe('number');
      expect(value as number, key).toBeGreaterThan(0);
    }
    expect(lookup(document, 'quick')).toBe(true);
    expect(typeof lookup(document, 'node')).toBe('string');
    expect(typeof lookup(document, 'cpu')).toBe('string');
  }, 90_000);
});
