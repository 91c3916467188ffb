import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/ConfigError.ts';
import { processIo, type CliIo } from './io.ts';
import { OperationError } from './operationError.ts';
import { UsageError } from './usageError.ts';

// Each command is loaded only when it runs: the exchange emulator pulls in ccxt and the
// inspector esbuild, and a replay should not pay hundreds of megabytes and a second of
// start-up for them.
const COMMANDS: Readonly<Record<string, (io: CliIo) => Promise<Command>>> = {
  replay: async (io) => (await import('./replay.ts')).replayCommand(io),
  demo: async (io) => (await import('./demo.ts')).demoCommand(io),
  journal: async (io) => (await import('./journal.ts')).journalCommand(io),
  inspect: async (io) => (await import('./inspect.ts')).inspectCommand(io),
  exchange: async (io) => (await import('./exchange.ts')).exchangeCommand(io),
  run: async (io) => (await import('./run.ts')).runCommand(io),
  paper: async (io) => (await import('./paper.ts')).paperCommand(io),
  pause: async (io) => (await import('./control.ts')).controlCommand('pause', io),
  resume: async (io) => (await import('./control.ts')).controlCommand('resume', io),
  flatten: async (io) => (await import('./control.ts')).controlCommand('flatten', io),
  status: async (io) => (await import('./control.ts')).controlCommand('status', io),
  doctor: async (io) => (await import('./doctor.ts')).doctorCommand(io),
};

/**
 * Returns the program writing through `io`, with the command `argv` names — or with every
 * command when it names none (help, or a mistyped command that needs the list).
 */
async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('ratchet')
    .description('Ratchet: a trailing-stop engine whose every decision can be replayed exactly')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run `ratchet --help` for the commands and their options)');
  const named = argv[0] === undefined ? undefined : COMMANDS[argv[0]];
  const wanted = named === undefined ? Object.values(COMMANDS) : [named];
  for (const command of await Promise.all(wanted.map((load) => load(io)))) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code: 0 on success,
 * 2 on bad input (a readable paragraph on stderr), 1 on an internal failure.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const program = await buildProgram(io, argv);
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
    if (error instanceof OperationError) {
      io.err(`ratchet: ${error.message}`);
      return 1;
    }
    io.err(
      `ratchet: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
