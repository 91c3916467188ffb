import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { exchangeStateSchema } from './exchangeState.ts';

/** The file, inside a paper run's data directory, that holds the paper exchange. */
export const PAPER_STATE_FILE = 'paper-exchange.json';

const paperStateSchema = z.object({
  version: z.literal(1),
  savedAt: z.number().int(),
  /** The feed's seed, and how many runs have played it (each run continues with its own stream). */
  feed: z.object({ seed: z.number().int(), runs: z.number().int().nonnegative() }),
  exchange: exchangeStateSchema,
});

/** What a paper run keeps of its exchange between two starts. */
export type PaperState = z.infer<typeof paperStateSchema>;

/** A paper state file that cannot be read back. */
export class PaperStateError extends Error {
  override readonly name = 'PaperStateError';
}

/**
 * Returns the paper state saved in `dir`, or undefined when there is none. Throws
 * PaperStateError naming the file when it exists but is not a paper state this version wrote.
 */
export function readPaperState(dir: string): PaperState | undefined {
  const path = join(dir, PAPER_STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PaperStateError(`${path} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PaperStateError(`${path} is not JSON (${(error as Error).message})`);
  }
  const result = paperStateSchema.safeParse(parsed);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new PaperStateError(
      `${path} is not a paper exchange state: ${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim(),
    );
  }
  return result.data;
}

/**
 * Writes `state` to `dir` atomically: a reader (or a crash) sees the previous state or this
 * one, never half of a file.
 */
export function writePaperState(dir: string, state: PaperState): void {
  const path = join(dir, PAPER_STATE_FILE);
  const temporary = join(dirname(path), `.${PAPER_STATE_FILE}.${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(temporary, `${JSON.stringify(state, null, 1)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
