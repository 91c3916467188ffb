import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { loadEngineConfig } from '../config/index.ts';
import { ControlError, sendControl, type ControlCommand } from '../engine/controlServer.ts';
import type { PauseState } from '../engine/liveEngine.ts';
import { doctorTable, runDoctor } from './doctor.ts';
import { processIo, type CliIo } from './io.ts';
import { OperationError } from './operationError.ts';

const DESCRIPTIONS: Readonly<Record<ControlCommand, string>> = {
  pause: 'stop moving stops on the running engine (they stay resting) until ratchet resume',
  resume: 'let the running engine move stops again',
  flatten: 'close every managed position at market and leave the engine paused',
  status:
    "print the running engine's doctor report: every open position with its actor, desired and resting stop, our stops on the exchange, and any inconsistency",
};

/** Returns one of `ratchet pause | resume | flatten | status`, talking to the running engine. */
export function controlCommand(command: ControlCommand, io: CliIo = processIo()): Command {
  return new Command(command)
    .description(DESCRIPTIONS[command])
    .requiredOption('--config <file>', 'the engine config (names the data directory)')
    .option('--data-dir <dir>', 'the data directory, if the engine was started with --data-dir')
    .addOption(
      new Option('--format <format>', 'table or json').choices(['table', 'json']).default('table'),
    )
    .action(async (options: { config: string; dataDir?: string; format: 'table' | 'json' }) => {
      const config = await loadEngineConfig(options.config);
      const dataDir = options.dataDir === undefined ? config.dataDir : resolve(options.dataDir);
      if (command === 'status') {
        const report = await runDoctor(config, dataDir, { requireRunning: true });
        io.out(options.format === 'json' ? JSON.stringify(report) : doctorTable(report));
        if (!report.consistent)
          throw new OperationError(
            `the running engine and the exchange disagree: ${report.problems.length} problem(s) (listed above).`,
          );
        return;
      }
      let result: unknown;
      try {
        result = await sendControl(dataDir, command);
      } catch (error) {
        if (error instanceof ControlError) throw new OperationError(error.message);
        throw error;
      }
      if (options.format === 'json') {
        io.out(JSON.stringify(result));
        return;
      }
      const r = result as { paused?: PauseState | null; closing?: number };
      if (command === 'pause')
        io.out(`paused: resting stops stay where they are until ratchet resume`);
      else if (command === 'resume') io.out('resumed: stops follow their positions again');
      else
        io.out(`flatten: closing ${r.closing ?? 0} position(s) at market; the engine stays paused`);
    });
}
