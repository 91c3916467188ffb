import { Command, Option } from 'commander';
import { replayScenario } from '../actors/replayScenario.ts';
import { jsonLine, replayTable } from './format.ts';
import { loadScenarioSource } from './scenarioInput.ts';
import type { CliIo } from './io.ts';

interface ReplayOptions {
  format?: 'jsonl' | 'table';
  position?: string;
  policy?: string;
}

/** Returns the `ratchet replay` command: one scenario through one position actor. */
export function replayCommand(io: CliIo): Command {
  return new Command('replay')
    .description('Replay one scenario (JSON/YAML, or a ts,price CSV with --position and --policy) and print its stop decisions')
    .argument('<file>', 'scenario file (.json, .yaml) or ticks (.csv)')
    .addOption(
      new Option('--format <format>', 'jsonl: the SPEC event lines; table: a readable table (default on a terminal)').choices([
        'jsonl',
        'table',
      ]),
    )
    .option('--position <file>', 'position and market, for a CSV of ticks')
    .option('--policy <file>', 'stop policy, for a CSV of ticks')
    .action(async (file: string, options: ReplayOptions) => {
      const scenario = await loadScenarioSource({ file, position: options.position, policy: options.policy });
      const result = replayScenario(scenario);
      const format = options.format ?? (io.isTty ? 'table' : 'jsonl');
      if (format === 'jsonl') {
        for (const event of result.events) io.out(jsonLine(event));
        io.out(jsonLine(result.summary));
      } else {
        io.out(replayTable(result.events, result.summary));
      }
    });
}
