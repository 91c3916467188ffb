#!/usr/bin/env node
// Runs the TypeScript benchmarks through tsx's loader, like bin/ratchet.mjs, so a clone needs
// no build step. Heap-per-actor needs global.gc, which only a node flag provides: without it
// this script re-runs itself once with --expose-gc (stdio inherited, exit code passed on).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

if (typeof globalThis.gc !== 'function') {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', self, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (child.error) throw child.error;
  process.exit(child.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
const entry = fileURLToPath(new URL('../bench/main.ts', import.meta.url));
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
