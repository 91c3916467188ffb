import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { JournalEntry } from '../store/checkpoint.ts';
import { corruptMessage, openPositionStore } from '../store/positionStore.ts';
import { StoreError } from '../store/storeErrors.ts';
import { jsonLine, table } from './format.ts';
import { DEFAULT_DATA_DIR } from './replay.ts';
import { UsageError } from './usageError.ts';
import type { CliIo } from './io.ts';

interface JournalOptions {
  dataDir?: string;
  format?: 'jsonl' | 'table';
  position?: string;
}

/** Returns the table of journal entries: position, seq, ts, event, and the event's other fields. */
function journalTable(entries: readonly JournalEntry[]): string {
  const rows = entries.map(({ positionId, seq, event }) => {
    const fields = Object.entries(event)
      .filter(([key]) => key !== 'type' && key !== 'ts')
      .map(
        ([key, value]) =>
          `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
      );
    return [positionId, String(seq), String(event.ts), event.type, fields.join(' ')];
  });
  return table(['position', 'seq', 'ts', 'event', 'fields'], rows);
}

async function printJournal(options: JournalOptions, io: CliIo): Promise<void> {
  const dir = options.dataDir ?? DEFAULT_DATA_DIR;
  // Opening would create it; a mistyped path should be reported, not turned into an empty journal.
  if (!existsSync(dir)) throw new UsageError(`--data-dir: ${dir} does not exist.`);
  const store = await openPositionStore(dir, { create: false });
  try {
    const earlier = await store.listQuarantine();
    const { entries, quarantined } = await store.readJournal();
    const shown =
      options.position === undefined
        ? entries
        : // A live position's order-sync journal stands beside its own, under `<id>/sync`.
          entries.filter(
            (e) => e.positionId === options.position || e.positionId === `${options.position}/sync`,
          );
    if ((options.format ?? (io.isTty ? 'table' : 'jsonl')) === 'jsonl') {
      for (const entry of shown) io.out(jsonLine(entry.event));
    } else {
      io.out(journalTable(shown));
    }
    if (earlier.length > 0) {
      io.err(
        `ratchet: note: ${earlier.length} damaged entr${earlier.length === 1 ? 'y was' : 'ies were'} moved aside earlier (first: ${earlier[0]?.key ?? '?'} → ${earlier[0]?.quarantineKey ?? '?'}); see docs/persistence.md.`,
      );
    }
    if (quarantined.length > 0) {
      throw new UsageError(
        quarantined.map((report) => corruptMessage(store.dir, report)).join('\n'),
      );
    }
  } finally {
    await store.close();
  }
}

/** Returns the `ratchet journal` command: every committed event line of every position, in commit order. */
export function journalCommand(io: CliIo): Command {
  return new Command('journal')
    .description(
      'Print the decision journal of a data directory: every event line of every position, in the order they were committed',
    )
    .option('--data-dir <dir>', 'the data directory', DEFAULT_DATA_DIR)
    .addOption(
      new Option(
        '--format <format>',
        'jsonl: the SPEC event lines; table: with position and seq (default on a terminal)',
      ).choices(['jsonl', 'table']),
    )
    .option(
      '--position <id>',
      'only this position and its order-sync records (ids are shown by --format table)',
    )
    .action(async (options: JournalOptions) => {
      try {
        await printJournal(options, io);
      } catch (error) {
        if (error instanceof StoreError) throw new UsageError(error.message);
        throw error;
      }
    });
}
