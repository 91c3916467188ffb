#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so a clone works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const { run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
