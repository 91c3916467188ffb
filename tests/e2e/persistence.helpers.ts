import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root, where bin/ratchet.mjs lives. */
export const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ratchet.mjs');

/**
 * Returns the seed of this run's random choices: RATCHET_TEST_SEED when set, else a new one,
 * printed either way so a failing run can be repeated.
 */
export function testSeed(what: string): number {
  const given = process.env.RATCHET_TEST_SEED;
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  console.log(`${what}: seed ${seed} (repeat with RATCHET_TEST_SEED=${seed})`);
  return seed;
}

/** Returns a reproducible generator of numbers in [0, 1) for `seed` (xorshift32, no dependency). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** Returns a fresh temporary directory for one test. */
export function tempDir(prefix = 'ratchet-persist-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The outcome of one `ratchet` process. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/ratchet.mjs ...args` as a separate process and returns its exit code and output. */
export function ratchetProcess(args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [BIN, ...args],
      { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `node bin/ratchet.mjs ...args` without waiting, so a test can kill it. */
export function startRatchet(args: readonly string[]): ChildProcess {
  return spawn('node', [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Writes a long scenario: a slow up-drift with noise that keeps a wide trailing stop moving,
 * momentum flipping and the position open until the last tick, so every commit holds events.
 * The policy is kept cheap (a price distance, a short window) because the crash test replays
 * it several times.
 * Returns the file's path.
 */
export function writeLongScenario(dir: string, ticks: number, seed = 7): string {
  const random = seededRandom(seed);
  const rows: string[] = [];
  let cents = 1_000_000; // 10000.00 in cents
  for (let i = 0; i < ticks; i++) {
    cents += Math.round((random() - 0.48) * 400);
    rows.push(
      `[${(i + 1) * 100}, "${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}"]`,
    );
  }
  const scenario = `{
  "market": { "tickSize": "0.01" },
  "position": { "side": "long", "entryPrice": "10000", "quantity": "1", "openedAt": 0 },
  "policy": {
    "initialStop": { "percent": 60 },
    "trailing": { "price": 400, "momentum": { "windowSeconds": 0.5, "thresholdPercent": 0.05, "releasePercent": 0.01, "factor": 0.5 } }
  },
  "ticks": [
${rows.join(',\n')}
  ]
}
`;
  const file = join(dir, `long-${ticks}.json`);
  writeFileSync(file, scenario);
  return file;
}
