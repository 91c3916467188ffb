import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/ConfigError.ts';
import { demoCommand } from './demo.ts';
import { exchangeCommand } from './exchange.ts';
import { inspectCommand } from './inspect.ts';
import { processIo, type CliIo } from './io.ts';
import { journalCommand } from './journal.ts';
import { replayCommand } from './replay.ts';
import { UsageError } from './usageError.ts';

/** Returns the program with every command, writing through `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ratchet')
    .description('Ratchet: a trailing-stop engine whose every decision can be replayed exactly')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run `ratchet --help` for the commands and their options)');
  for (const command of [
    replayCommand(io),
    demoCommand(io),
    journalCommand(io),
    inspectCommand(io),
    exchangeCommand(io),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code: 0 on success,
 * 2 on bad input (a readable paragraph on stderr), 1 on an internal failure.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      io.err(`ratchet: ${error.message}`);
      return 2;
    }
    io.err(
      `ratchet: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
