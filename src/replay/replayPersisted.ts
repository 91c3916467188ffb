import type { PositionEvent, ReplaySummary, Scenario } from '../domain/types.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import { CheckpointWriter } from '../store/checkpointWriter.ts';
import type { CheckpointSink, JournalEntry, ResumePoint } from '../store/checkpoint.ts';
import { ReplayDriver } from './replayDriver.ts';

/** How a persisted replay runs. */
export interface PersistedReplayOptions {
  readonly positionId: string;
  /** Identifies the scenario (its digest); stored with every checkpoint. */
  readonly source: string;
  readonly sink: CheckpointSink;
  /** Continue from this checkpoint instead of opening the position afresh. */
  readonly resumeFrom?: ResumePoint | undefined;
  /** Send at most this many ticks in this run, then commit and return. */
  readonly stopAfterTicks?: number | undefined;
  /** Steps per batch (see CheckpointWriterOptions). */
  readonly maxPendingSteps?: number | undefined;
  /**
   * Sees the journal entries of each batch once it is committed, in order: the place to
   * print them, because a crash before the commit makes the next run redo those steps.
   */
  readonly onCommitted?: ((entries: readonly JournalEntry[]) => void) | undefined;
}

/** The outcome of one (possibly partial) persisted replay run. */
export interface PersistedReplayResult {
  /** The events this run produced and committed (not those of earlier runs). */
  readonly events: PositionEvent[];
  readonly summary: ReplaySummary;
  readonly context: PositionContext;
  /** Index of the next tick to send; what a later `--resume` starts from. */
  readonly cursor: number;
  /** True when the position exited or every tick was sent: nothing is left to resume. */
  readonly finished: boolean;
  /** Ticks sent in this run. */
  readonly ticksSent: number;
}

/**
 * Replays `scenario` like `replayScenario`, but checkpoints the actor, its journal and the
 * tick cursor to `options.sink` as it goes, and can start from a checkpoint. A run interrupted
 * at any instant and resumed from its last checkpoint commits the same journal as an
 * uninterrupted run: steps after the last commit are redone, and their events were never
 * delivered. Rejects when the sink fails, with SnapshotRestoreError when the checkpoint cannot
 * be restored, and with PositionStepError when the machine fails on a step.
 */
export async function replayPersisted(
  scenario: Scenario,
  options: PersistedReplayOptions,
): Promise<PersistedReplayResult> {
  const { positionId, source, resumeFrom } = options;
  const writer = new CheckpointWriter(options.sink, {
    ...(options.maxPendingSteps === undefined ? {} : { maxPendingSteps: options.maxPendingSteps }),
  });
  const committed: PositionEvent[] = [];
  let unflushed: JournalEntry[] = [];
  const driver = new ReplayDriver(
    resumeFrom === undefined
      ? {
          input: {
            id: positionId,
            market: scenario.market,
            position: scenario.position,
            policy: scenario.policy,
          },
        }
      : { positionId, snapshot: resumeFrom.snapshot, cursor: resumeFrom.cursor },
    {
      persistence: {
        track: (actor, cursor) =>
          writer.track({ positionId, actor, seq: resumeFrom?.seq ?? 0, cursor, source }),
        stepped: (cursor, events) => {
          const { entries, flushDue } = writer.stepped(positionId, cursor, events);
          unflushed.push(...entries);
          return flushDue;
        },
        commit: async () => {
          await writer.flush();
          const entries = unflushed;
          unflushed = [];
          committed.push(...entries.map((e) => e.event));
          if (entries.length > 0) options.onCommitted?.(entries);
        },
      },
    },
  );
  const start = driver.cursor;
  const end =
    options.stopAfterTicks === undefined ? scenario.ticks.length : start + options.stopAfterTicks;
  await driver.sendBatches([scenario.ticks.slice(start, end)]);
  const { summary, context, open } = driver.finish();
  return {
    events: committed,
    summary,
    context,
    cursor: driver.cursor,
    finished: !open || driver.cursor >= scenario.ticks.length,
    ticksSent: driver.ticksSent,
  };
}
