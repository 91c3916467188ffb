import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadEngineConfig } from '../config/index.ts';
import { processIo, type CliIo } from './io.ts';
import type { RunCommandHooks } from './runEngine.ts';

export type { RunCommandHooks } from './runEngine.ts';

/** Returns `ratchet run`: the live engine, until SIGINT/SIGTERM. */
export function runCommand(io: CliIo = processIo(), hooks: RunCommandHooks = {}): Command {
  return new Command('run')
    .description(
      'protect every open position of an exchange account: a stop that follows the policy rests on the exchange, moved make-before-break, through restarts',
    )
    .requiredOption(
      '--config <file>',
      'the engine config (YAML or JSON): venue, policy, protection, lanes',
    )
    .option('--data-dir <dir>', 'the data directory (default: the config’s dataDir)')
    .action(async (options: { config: string; dataDir?: string }) => {
      const config = await loadEngineConfig(options.config);
      const dataDir = options.dataDir === undefined ? config.dataDir : resolve(options.dataDir);
      // The engine and its venue (ccxt) load only now: a config error is reported at once.
      const { runEngine } = await import('./runEngine.ts');
      await runEngine(config, dataDir, io, hooks);
    });
}
