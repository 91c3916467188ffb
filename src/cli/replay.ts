import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { LANES_DEFAULTS } from '../config/lanesSchema.ts';
import { scenarioDigest, scenarioPositionId } from '../config/positionId.ts';
import { openScenarioStream } from '../config/scenarioStream.ts';
import type { PositionEvent, Scenario } from '../domain/types.ts';
import { PositionStepError } from '../replay/positionStepError.ts';
import { replayPersisted, type PersistedReplayResult } from '../replay/replayPersisted.ts';
import { replayScenario } from '../replay/replayScenario.ts';
import { replayStream } from '../replay/replayStream.ts';
import { replayThroughLanes } from '../replay/replayThroughLanes.ts';
import type { ResumePoint } from '../store/checkpoint.ts';
import {
  openPositionForResume,
  quarantineIfSnapshotBad,
  type ResumeRefusal,
} from '../store/openPositionForResume.ts';
import { openPositionStore, type PositionStore } from '../store/positionStore.ts';
import { SnapshotRestoreError } from '../store/restorePosition.ts';
import { StoreError } from '../store/storeErrors.ts';
import { jsonLine, replayTable } from './format.ts';
import { loadScenarioSource } from './scenarioInput.ts';
import { UsageError } from './usageError.ts';
import type { CliIo } from './io.ts';

/** The default data directory: `snapshots/` at the project root, whatever the working directory. */
export const DEFAULT_DATA_DIR = resolve(fileURLToPath(new URL('../../snapshots', import.meta.url)));

interface ReplayOptions {
  format?: 'jsonl' | 'table';
  position?: string;
  policy?: string;
  dataDir?: string;
  stopAfterTicks?: number;
  resume?: boolean;
  lanes?: boolean;
  fastMs?: number;
  normalMs?: number;
}

function milliseconds(flag: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) {
      throw new UsageError(
        `${flag}: ${text} is not a whole number of milliseconds (0, 300, 3000, …).`,
      );
    }
    return Number(text);
  };
}

function tickCount(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new UsageError(
      `--stop-after-ticks: ${text} is not a whole number of ticks (0, 1, 2, …).`,
    );
  }
  return Number(text);
}

/** Returns the paragraph a user reads when the store refuses to start or continue `file`. */
function refusalMessage(
  reason: ResumeRefusal,
  dir: string,
  file: string,
  positionId: string,
  ticks: number,
): string {
  switch (reason.why) {
    case 'orphanJournal':
      return `data directory ${dir} holds no snapshot of ${file} (position ${positionId}), but its journal already holds ${reason.count} of that position's decisions (up to seq ${reason.lastSeq}); its snapshot was probably moved aside as corrupt (see \`ratchet journal --data-dir ${dir}\`). Replaying it here would journal those decisions twice: replay ${file} from the start with a new --data-dir.`;
    case 'alreadySaved':
      return `data directory ${dir} already holds a replay of ${file} (position ${positionId}, next tick ${reason.cursor} of ${ticks}). Add --resume to continue it, or pass another --data-dir to start over.`;
    case 'otherSource':
      return `--resume: position ${positionId} in ${dir} was saved from other ticks than ${file} now holds (its next tick is ${reason.cursor} of ${ticks}); start it over in an empty --data-dir.`;
  }
}

/**
 * Returns where the replay continues (undefined: tick 0), or throws UsageError saying why the
 * store cannot start or continue this scenario. A `--resume` that finds nothing of the
 * position (a run killed before its first commit) starts it from tick 0, and says so.
 */
async function startingPoint(
  store: PositionStore,
  file: string,
  positionId: string,
  scenario: Scenario,
  resume: boolean,
  io: CliIo,
): Promise<ResumePoint | undefined> {
  const decision = await openPositionForResume(store, positionId, {
    resume,
    source: scenarioDigest(scenario),
    inputLength: scenario.ticks.length,
  });
  if (decision.kind === 'resume') return decision.point;
  if (decision.kind === 'refused')
    throw new UsageError(
      refusalMessage(decision.reason, store.dir, file, positionId, scenario.ticks.length),
    );
  if (resume) {
    const { envelopes } = await store.listEnvelopes();
    const held =
      envelopes.length === 0
        ? ''
        : ` (it holds ${envelopes.map((e) => `${e.positionId} (next tick ${e.cursor})`).join(', ')}; a changed scenario is a different position)`;
    io.err(
      `ratchet: note: data directory ${store.dir} has no saved replay of ${file} as it is now (position ${positionId})${held}, nor any journal entry of it (a run killed before its first commit leaves none); starting it from tick 0.`,
    );
  }
  return undefined;
}

async function persistedReplay(
  file: string,
  scenario: Scenario,
  options: ReplayOptions,
  io: CliIo,
  format: 'jsonl' | 'table',
) {
  const positionId = scenarioPositionId(file, scenario);
  const store = await openPositionStore(options.dataDir ?? DEFAULT_DATA_DIR);
  try {
    const resumeFrom = await startingPoint(
      store,
      file,
      positionId,
      scenario,
      options.resume === true,
      io,
    );
    let result: PersistedReplayResult;
    try {
      result = await replayPersisted(scenario, {
        positionId,
        source: scenarioDigest(scenario),
        sink: store,
        resumeFrom,
        stopAfterTicks: options.stopAfterTicks,
        // Lines are printed only once committed: a run killed before a commit prints nothing
        // that the resumed run will print again.
        onCommitted:
          format === 'jsonl'
            ? (entries) => entries.forEach((e) => io.out(jsonLine(e.event)))
            : undefined,
      });
    } catch (error) {
      throw await quarantineIfSnapshotBad(store, positionId, error);
    }
    if (format === 'jsonl') {
      // The summary states how the position ended, so it comes only when it has: a run cut
      // short by --stop-after-ticks prints event lines alone, and the runs concatenate.
      if (result.finished) io.out(jsonLine(result.summary));
    } else {
      io.out(replayTable(result.events, result.summary));
      if (!result.finished)
        io.out(
          `stopped before tick ${result.cursor} of ${scenario.ticks.length}; continue with --resume`,
        );
    }
  } finally {
    await store.close();
  }
}

function isJsonScenario(file: string, options: ReplayOptions): boolean {
  return /\.json$/i.test(file) && options.position === undefined && options.policy === undefined;
}

/**
 * Replays a JSON scenario with its ticks streamed from the file, printing each event line as
 * it happens: memory stays flat for a series of any length.
 */
async function streamedReplay(file: string, format: 'jsonl' | 'table', io: CliIo): Promise<void> {
  const scenario = await openScenarioStream(file);
  const events: PositionEvent[] = [];
  const result = await replayStream(scenario, scenario.tickBatches(), (event) => {
    if (format === 'jsonl') io.out(jsonLine(event));
    else events.push(event);
  });
  if (format === 'jsonl') io.out(jsonLine(result.summary));
  else io.out(replayTable(events, result.summary));
}

/** Returns the `ratchet replay` command: one scenario through one position actor, optionally persisted and resumable. */
export function replayCommand(io: CliIo): Command {
  return new Command('replay')
    .description(
      'Replay one scenario (JSON/YAML, or a ts,price CSV with --position and --policy) and print its stop decisions',
    )
    .argument('<file>', 'scenario file (.json, .yaml) or ticks (.csv)')
    .addOption(
      new Option(
        '--format <format>',
        'jsonl: the SPEC event lines; table: a readable table (default on a terminal)',
      ).choices(['jsonl', 'table']),
    )
    .option('--position <file>', 'position and market, for a CSV of ticks')
    .option('--policy <file>', 'stop policy, for a CSV of ticks')
    .option(
      '--data-dir <dir>',
      'persist snapshots and the journal here (default: snapshots/ when --stop-after-ticks or --resume is given)',
    )
    .option(
      '--stop-after-ticks <n>',
      'send only the next N ticks, persist, and exit (resume later with --resume)',
      tickCount,
    )
    .option(
      '--resume',
      'continue the replay saved in the data directory, printing only new event lines',
    )
    .option(
      '--lanes',
      'deliver ticks through the live fast/normal lanes, on the scenario clock, to show what live sampling changes',
    )
    .option(
      '--fast-ms <ms>',
      `fast lane interval with --lanes (default ${LANES_DEFAULTS.fastMs})`,
      milliseconds('--fast-ms'),
    )
    .option(
      '--normal-ms <ms>',
      `normal lane interval with --lanes (default ${LANES_DEFAULTS.normalMs})`,
      milliseconds('--normal-ms'),
    )
    .action(async (file: string, options: ReplayOptions) => {
      const format = options.format ?? (io.isTty ? 'table' : 'jsonl');
      const persisted =
        options.dataDir !== undefined ||
        options.stopAfterTicks !== undefined ||
        options.resume === true;
      if (
        options.lanes !== true &&
        (options.fastMs !== undefined || options.normalMs !== undefined)
      ) {
        throw new UsageError(
          '--fast-ms and --normal-ms set the lanes of --lanes; add --lanes, or drop them.',
        );
      }
      if (persisted && options.lanes === true) {
        throw new UsageError(
          '--lanes replays on virtual time in one go and cannot be combined with --data-dir, --stop-after-ticks or --resume; run it without them.',
        );
      }
      if (!persisted && options.lanes !== true && isJsonScenario(file, options)) {
        await streamedReplay(file, format, io);
        return;
      }
      const scenario = await loadScenarioSource({
        file,
        position: options.position,
        policy: options.policy,
      });
      if (persisted) {
        try {
          await persistedReplay(file, scenario, options, io, format);
        } catch (error) {
          if (
            error instanceof StoreError ||
            error instanceof SnapshotRestoreError ||
            error instanceof PositionStepError
          )
            throw new UsageError(error.message);
          throw error;
        }
        return;
      }
      const result =
        options.lanes === true
          ? replayThroughLanes(scenario, {
              ...LANES_DEFAULTS,
              ...(options.fastMs === undefined ? {} : { fastMs: options.fastMs }),
              ...(options.normalMs === undefined ? {} : { normalMs: options.normalMs }),
            })
          : replayScenario(scenario);
      if (format === 'jsonl') {
        for (const event of result.events) io.out(jsonLine(event));
        io.out(jsonLine(result.summary));
      } else {
        io.out(replayTable(result.events, result.summary));
      }
    });
}
