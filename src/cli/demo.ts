import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { replayScenario } from '../replay/replayScenario.ts';
import { scenarioName } from '../config/positionId.ts';
import { positionPrices } from '../machines/positionContext.ts';
import { outcomeOf } from '../domain/outcome.ts';
import type { ServedInspector } from '../inspector/serveInspector.ts';
import { serveInspector } from '../inspector/serveInspector.ts';
import { table } from './format.ts';
import { DEFAULT_INSPECTOR_PORT, inspectFiles, parsePort, type OnServe } from './inspect.ts';
import { loadScenarioSource } from './scenarioInput.ts';
import type { CliIo } from './io.ts';

/** The scenarios shipped with the project (examples/spec; examples/engine holds engine configs), the demo's default input. */
const EXAMPLES_DIR = resolve(fileURLToPath(new URL('../../examples/spec', import.meta.url)));

/** Returns every scenario file (.json, .yaml, .yml) under `dir`, sorted, skipping expectations. */
function scenarioFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...scenarioFiles(path));
    else if (/\.(json|ya?ml)$/.test(entry.name) && !entry.name.includes('.expected.'))
      found.push(path);
  }
  return found.sort();
}

function keptText(kept: string | null): string {
  if (kept === null) return '— (never in profit)';
  return kept.startsWith('-') ? 'none (exit below entry)' : `${kept} %`;
}

/** Returns the demo table rows: per scenario its exit, its stop's path and the share of the peak move kept. */
async function demoRows(files: readonly string[]): Promise<string[][]> {
  const rows: string[][] = [];
  for (const file of files) {
    const scenario = await loadScenarioSource({ file });
    const result = replayScenario(scenario);
    const { position } = scenario;
    const outcome = outcomeOf(
      position,
      result.events,
      positionPrices(result.context).peakPrice,
      result.summary.finalStop,
    );
    const path = outcome.stopPath;
    const shown =
      path.length > 6
        ? [...path.slice(0, 2), `…${path.length - 4} more…`, ...path.slice(-2)]
        : path;
    const exit = result.summary.exited
      ? `${result.summary.exitReason ?? ''} @ ${result.summary.exitPrice ?? ''}`
      : 'open';
    rows.push([
      scenarioName(file),
      `${position.side} ${position.quantity} @ ${position.entryPrice}`,
      exit,
      shown.join(' → '),
      keptText(outcome.keptPercent),
    ]);
  }
  return rows;
}

/**
 * Serves the inspector for the demo's scenarios on `port`, or on any free port when that one
 * is taken (a paper run may hold it), and returns the served inspector.
 */
async function serveDemo(files: readonly string[], port: number): Promise<ServedInspector> {
  const positions = await inspectFiles(files);
  try {
    return await serveInspector({ positions, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return await serveInspector({ positions, port: 0 });
  }
}

/**
 * Returns the `ratchet demo` command: the table of every example, then the inspector serving
 * them until interrupted, unless `--no-serve`. (`npm start` runs `ratchet paper`.)
 */
export function demoCommand(io: CliIo, onServe?: OnServe): Command {
  return new Command('demo')
    .description(
      'Replay every example scenario and show where each stop went and how much of the peak move it kept',
    )
    .option('--examples <dir>', 'folder of scenarios', EXAMPLES_DIR)
    .option('--no-serve', 'print the table only; do not serve the inspector')
    .option(
      '--port <port>',
      'inspector port (taken: any free port)',
      parsePort,
      DEFAULT_INSPECTOR_PORT,
    )
    .action(async (options: { examples: string; serve: boolean; port: number }) => {
      const files = scenarioFiles(options.examples);
      io.out(`Ratchet demo: ${files.length} scenarios from ${options.examples}\n`);
      const rows = await demoRows(files);
      io.out(table(['scenario', 'position', 'exit', 'stop path', 'kept of peak move'], rows));
      io.out(
        '\nReplay one yourself: npm run --silent ratchet -- replay examples/spec/sete-bigjump.json --format table',
      );
      if (!options.serve) return;
      const served = await serveDemo(files, options.port);
      onServe?.(served);
      io.out(`\nSee each position's statechart, tick by tick: ${served.url}  (Ctrl-C to stop)`);
    });
}
