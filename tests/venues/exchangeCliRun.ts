import { expect } from 'vitest';
import { exchangeCommand } from '../../src/cli/exchange.ts';
import { UsageError } from '../../src/cli/usageError.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';

type CliIo = { out: (l: string) => void; err: (l: string) => void; isTty: boolean };

/** Returns a CLI io that keeps every line, of both streams, in `lines`. */
export function io(): { lines: string[]; io: CliIo } {
  const lines: string[] = [];
  return { lines, io: { out: (l) => lines.push(l), err: (l) => lines.push(l), isTty: false } };
}

/** A running `ratchet exchange`, started in-process. */
export interface ExchangeRun {
  /** Every line it printed so far. */
  readonly lines: string[];
  readonly em: Emulator;
  /** Aborts the command and resolves once it has stopped. */
  readonly stop: () => Promise<void>;
}

/** Starts `ratchet exchange` with `args` and resolves once its emulator is ready. */
export async function runExchange(args: string[]): Promise<ExchangeRun> {
  const { lines, io: cliIo } = io();
  const abort = new AbortController();
  let onReady: (em: Emulator) => void = () => undefined;
  const ready = new Promise<Emulator>((resolve) => (onReady = resolve));
  const done = exchangeCommand(cliIo, { signal: abort.signal, onReady })
    .exitOverride()
    .parseAsync(args, { from: 'user' });
  const em = await ready;
  return {
    lines,
    em,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

/** Returns the message of the UsageError `ratchet exchange` refuses `args` with. */
export async function usage(args: string[]): Promise<string> {
  const { io: cliIo } = io();
  const err = await exchangeCommand(cliIo)
    .exitOverride()
    .parseAsync(args, { from: 'user' })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}
