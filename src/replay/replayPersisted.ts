import { createActor, type Actor } from 'xstate';
import { positionMachine, type PositionMachine } from '../machines/positionMachine.ts';
import type { PositionEvent, ReplaySummary, Scenario } from '../domain/types.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import type { CheckpointSink, JournalEntry, PersistedPositionSnapshot } from '../store/checkpoint.ts';
import { CheckpointWriter } from '../store/checkpointWriter.ts';
import { summarize } from './replayScenario.ts';
import { describeActorError, restorePosition } from '../store/restorePosition.ts';

/**
 * The position machine failed on a step (XState put the actor in status `error`). Nothing of
 * that step, nor of the uncommitted steps before it, is committed. `firstStepAfterRestore`
 * says the failing step was the first one sent to a restored actor: then the snapshot itself
 * is suspect (a damaged context), and the caller should move it aside.
 */
export class PositionStepError extends Error {
  override readonly name = 'PositionStepError';
  /**
   * @param message the readable paragraph
   * @param positionId the failed position
   * @param firstStepAfterRestore whether it failed on the first step after a restore
   */
  constructor(
    message: string,
    readonly positionId: string,
    readonly firstStepAfterRestore: boolean,
  ) {
    super(message);
  }
}

/** Where a resumed replay starts: the last committed checkpoint of its position. */
export interface ReplayResumePoint {
  readonly snapshot: PersistedPositionSnapshot;
  readonly seq: number;
  readonly cursor: number;
}

/** How a persisted replay runs. */
export interface PersistedReplayOptions {
  readonly positionId: string;
  /** Identifies the scenario (its digest); stored with every checkpoint. */
  readonly source: string;
  readonly sink: CheckpointSink;
  /** Continue from this checkpoint instead of opening the position afresh. */
  readonly resumeFrom?: ReplayResumePoint | undefined;
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
 * Replays `scenario` through one position actor like `replayScenario`, but checkpoints the
 * actor, its journal and the tick cursor to `options.sink` as it goes, and can start from a
 * checkpoint. A run interrupted at any instant and resumed from its last checkpoint commits
 * the same journal as an uninterrupted run: steps after the last commit are redone, and
 * their events were never delivered. Rejects when the sink fails.
 */
export async function replayPersisted(
  scenario: Scenario,
  options: PersistedReplayOptions,
): Promise<PersistedReplayResult> {
  const { positionId, source, resumeFrom } = options;
  const writer = new CheckpointWriter(options.sink, {
    ...(options.maxPendingSteps === undefined ? {} : { maxPendingSteps: options.maxPendingSteps }),
  });
  const emitted: PositionEvent[] = [];
  const actor: Actor<PositionMachine> =
    resumeFrom === undefined
      ? createActor(positionMachine, {
          input: {
            id: positionId,
            market: scenario.market,
            position: scenario.position,
            policy: scenario.policy,
          },
        })
      : restorePosition(positionId, resumeFrom.snapshot);
  actor.on('*', (event) => emitted.push(event));
  // An action that throws puts the actor in status 'error'. Without an error observer XState
  // rethrows it out of band (an uncaught exception); the status is checked after every send.
  actor.subscribe({ error: () => undefined });
  const failed = (what: string, first: boolean): PositionStepError => {
    const why = describeActorError(actor.getSnapshot().error);
    actor.stop();
    return new PositionStepError(
      `position ${positionId} failed ${what}: ${why}. Nothing of that step was saved.`,
      positionId,
      first,
    );
  };
  let cursor = resumeFrom?.cursor ?? 0;
  writer.track({ positionId, actor, seq: resumeFrom?.seq ?? 0, cursor, source });
  actor.start();
  if (actor.getSnapshot().status === 'error')
    throw failed('when started', resumeFrom !== undefined);

  const committed: PositionEvent[] = [];
  let unflushed: JournalEntry[] = [];
  const record = (): boolean => {
    const { entries, flushDue } = writer.stepped(positionId, cursor, emitted.splice(0));
    unflushed.push(...entries);
    return flushDue;
  };
  const flush = async () => {
    await writer.flush();
    const entries = unflushed;
    unflushed = [];
    committed.push(...entries.map((e) => e.event));
    if (entries.length > 0) options.onCommitted?.(entries);
  };

  // A fresh actor has just emitted `opened`; a restored one emits nothing on start. Commit
  // the opening at once: from then on the position exists and a restart resumes it.
  if (emitted.length > 0) {
    record();
    await flush();
  }
  let sent = 0;
  while (cursor < scenario.ticks.length && actor.getSnapshot().status === 'active') {
    if (options.stopAfterTicks !== undefined && sent >= options.stopAfterTicks) break;
    const tick = scenario.ticks[cursor] as (typeof scenario.ticks)[number];
    actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
    // Never record (and so never commit) a failed actor: its snapshot is not a position.
    if (actor.getSnapshot().status === 'error') {
      throw failed(`on tick ${cursor} (ts ${tick.ts})`, resumeFrom !== undefined && sent === 0);
    }
    cursor++;
    sent++;
    if (record()) await flush();
  }
  await flush();

  const snapshot = actor.getSnapshot();
  actor.stop();
  return {
    events: committed,
    summary: summarize(snapshot.context),
    context: snapshot.context,
    cursor,
    finished: snapshot.status !== 'active' || cursor >= scenario.ticks.length,
    ticksSent: sent,
  };
}
