import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { InspectedPosition } from '../inspection/inspectionRecord.ts';
import { inspectScenario } from '../replay/inspectScenario.ts';
import { scenarioName } from '../config/positionId.ts';
import { bindingProblem } from '../inspector/accessGuard.ts';
import { serveInspector, type ServedInspector } from '../inspector/serveInspector.ts';
import type { CliIo } from './io.ts';
import { loadScenarioSource } from './scenarioInput.ts';
import { UsageError } from './usageError.ts';

/** The inspector's default port. */
export const DEFAULT_INSPECTOR_PORT = 7357;

/** Called with each server a command starts, so tests and embedders can close it. */
export type OnServe = (served: ServedInspector) => void;

/** Returns a port number from the command line, or throws commander's readable error. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535.');
  return port;
}

/** Returns a URL-safe id for a scenario file, unique among `taken`. */
function positionId(file: string, taken: Set<string>): string {
  const base = scenarioName(file) || 'position';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Returns each scenario file replayed through an inspected position actor. */
export async function inspectFiles(files: readonly string[]): Promise<InspectedPosition[]> {
  const taken = new Set<string>();
  const out: InspectedPosition[] = [];
  for (const file of files) {
    const scenario = await loadScenarioSource({ file });
    out.push(inspectScenario(positionId(file, taken), basename(file), scenario));
  }
  return out;
}

interface InspectOptions {
  readonly port: number;
  readonly host: string;
  readonly token?: string;
}

/**
 * Returns the `ratchet inspect FILE…` command: replays each scenario (one position each) and
 * serves the inspector page, printing its URL. The server keeps the process alive until
 * interrupted. A non-loopback --host without --token is refused (exit 2).
 */
export function inspectCommand(io: CliIo, onServe?: OnServe): Command {
  return new Command('inspect')
    .description('Replay scenarios and open the statechart inspector in your browser')
    .argument('<files...>', 'scenario files (JSON or YAML), one position each')
    .option(
      '--port <port>',
      'port to listen on (0 picks a free one)',
      parsePort,
      DEFAULT_INSPECTOR_PORT,
    )
    .option('--host <host>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option(
      '--token <token>',
      'secret every API and WebSocket request must carry (required off loopback)',
    )
    .action(async (files: string[], options: InspectOptions) => {
      const problem = bindingProblem(options.host, options.token);
      if (problem !== undefined) throw new UsageError(problem);
      const positions = await inspectFiles(files);
      let served: ServedInspector;
      try {
        served = await serveInspector({
          positions,
          host: options.host,
          port: options.port,
          token: options.token,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(
            `port ${options.port} is already in use; pass --port with another number (or 0 for any free port).`,
          );
        }
        throw error;
      }
      onServe?.(served);
      const steps = positions.reduce((n, p) => n + p.records.length - 1, 0);
      io.out(`Ratchet inspector: ${positions.length} position(s), ${steps} steps`);
      io.out(`Open ${served.url}`);
      io.out('Press Ctrl-C to stop.');
    });
}
