import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { PositionEvent, ReplaySummary, Tick } from '../domain/types.ts';
import type { PositionContext, PositionInput } from '../machines/positionContext.ts';
import { positionMachine, type PositionMachine } from '../machines/positionMachine.ts';
import type { PersistedPositionSnapshot } from '../store/checkpoint.ts';
import { describeActorError, restorePosition } from '../store/restorePosition.ts';
import { PositionStepError } from './positionStepError.ts';

/** A position actor as a replay drives it. */
export type ReplayActor = Actor<PositionMachine>;

/** Where a replay's position comes from: opened afresh, or restored from a checkpoint. */
export type ReplayStart =
  | { readonly input: PositionInput }
  | {
      readonly positionId: string;
      readonly snapshot: PersistedPositionSnapshot;
      /** Index of the next tick: the ticks before it are reflected in `snapshot`. */
      readonly cursor: number;
    };

/** Makes a replay durable: the driver records every step here and awaits `commit` when due. */
export interface ReplayPersistence {
  /** Starts recording `actor`, whose next tick is `cursor`; called before the actor starts. */
  track(actor: ReplayActor, cursor: number): void;
  /**
   * Records one step: the events it produced and the index of the next tick. Returns whether
   * a commit is due before the next step.
   */
  stepped(cursor: number, events: readonly PositionEvent[]): boolean;
  /** Makes every recorded step durable; rejects when it cannot. */
  commit(): Promise<void>;
}

/** What watches a replay; a plain replay needs none of it. */
export interface ReplayHooks {
  /** Receives XState's inspection stream of the actor (the inspection tap's `inspect`). */
  readonly inspect?: (event: InspectionEvent) => void;
  /** Called before the actor starts; returns what to call when the replay ends. */
  readonly attach?: (actor: ReplayActor) => () => void;
  /**
   * Sees each event the moment it is produced, with the index of the tick that produced it
   * (−1 for the opening).
   */
  readonly onEvent?: (event: PositionEvent, tickIndex: number) => void;
  readonly persistence?: ReplayPersistence;
  /**
   * Send up to this many ticks in one PRICES delivery instead of one PRICE each (default 1).
   * The machine takes a delivery's ticks exactly as it takes them one by one, but one
   * transition covers every tick that moves no region: for long series of mostly quiet ticks
   * this is many times faster. An inspected or persisted replay sends one tick a step (the
   * inspector shows, and a checkpoint records, each one); with deliveries, `onEvent` sees the
   * index of the delivery's first tick.
   */
  readonly deliveries?: number;
}

/** How a replay ended. */
export interface ReplayEnd {
  readonly summary: ReplaySummary;
  /** The actor's context after the last tick sent. */
  readonly context: PositionContext;
  /** False once the position has exited. */
  readonly open: boolean;
}

/** Returns the summary line of a position's final context. */
function summarize(context: PositionContext): ReplaySummary {
  const exit = context.exit;
  return {
    type: 'summary',
    exited: exit !== null,
    exitTs: exit?.ts ?? null,
    exitPrice: exit?.price ?? null,
    exitReason: exit?.reason ?? null,
    finalStop: context.stop,
  };
}

const noDetach = (): void => undefined;

/**
 * The one replay driver: one position actor, sent ticks as `PRICE` events in order until it
 * exits, with hooks for inspection and persistence. Plain, streamed, persisted and inspected
 * replays feed it with {@link sendAll} or {@link sendBatches}; a replay through lanes calls
 * {@link send} from its lane. Ticks after the exit are never sent (the SPEC ignores them).
 *
 * The constructor creates (or restores) and starts the actor, and throws PositionStepError
 * if it fails at once; a tick the machine fails on throws PositionStepError from `send`, with
 * the actor stopped and nothing of that step recorded.
 */
export class ReplayDriver {
  readonly actor: ReplayActor;
  readonly #hooks: ReplayHooks;
  readonly #positionId: string;
  readonly #restored: boolean;
  readonly #detach: () => void;
  #cursor: number;
  #sent = 0;
  #tickIndex = -1;
  #stepEvents: PositionEvent[] = [];
  #commitDue = false;
  readonly #delivery: number;

  /**
   * Creates and starts the actor of `start`.
   * @param start a fresh position's input, or a checkpoint to restore
   * @param hooks what watches the replay
   */
  constructor(start: ReplayStart, hooks: ReplayHooks = {}) {
    this.#hooks = hooks;
    this.#delivery = Math.max(1, Math.floor(hooks.deliveries ?? 1));
    if (this.#delivery > 1 && (hooks.inspect !== undefined || hooks.persistence !== undefined))
      throw new Error('an inspected or persisted replay sends one tick a step: drop `deliveries`');
    const inspect = hooks.inspect === undefined ? {} : { inspect: hooks.inspect };
    if ('snapshot' in start) {
      this.#positionId = start.positionId;
      this.#restored = true;
      this.#cursor = start.cursor;
      this.actor = restorePosition(start.positionId, start.snapshot, inspect);
    } else {
      this.#positionId = start.input.id ?? 'position';
      this.#restored = false;
      this.#cursor = 0;
      this.actor = createActor(positionMachine, { input: start.input, ...inspect });
    }
    this.actor.on('*', (event) => this.#emitted(event));
    // An action that throws puts the actor in status 'error'. Without an error observer XState
    // rethrows it out of band (an uncaught exception); the status is checked after every send.
    this.actor.subscribe({ error: () => undefined });
    hooks.persistence?.track(this.actor, this.#cursor);
    this.#detach = hooks.attach?.(this.actor) ?? noDetach;
    this.actor.start();
    if (this.actor.getSnapshot().status === 'error')
      throw this.#failed('when started', this.#restored);
    // A fresh actor has just emitted `opened`; a restored one emits nothing on start. The
    // opening is committed at once: from then on the position exists and a restart resumes it.
    if (this.#stepEvents.length > 0) this.#record(true);
  }

  /** Whether the position is still open (it takes ticks). */
  get open(): boolean {
    return this.actor.getSnapshot().status === 'active';
  }

  /** Index of the next tick: ticks sent so far, plus where a restored position stood. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Ticks sent by this driver. */
  get ticksSent(): number {
    return this.#sent;
  }

  /** Sends one tick; the caller checks {@link open} first. Throws PositionStepError if the machine fails on it. */
  send(tick: Tick): void {
    this.#tickIndex = this.#cursor;
    this.actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
    // Never record (and so never commit) a failed actor: its snapshot is not a position.
    if (this.actor.getSnapshot().status === 'error') {
      throw this.#failed(
        `on tick ${this.#cursor} (ts ${tick.ts})`,
        this.#restored && this.#sent === 0,
      );
    }
    this.#cursor++;
    this.#sent++;
    this.#record(false);
  }

  /**
   * Sends `ticks[from…to)` as one PRICES delivery; the caller checks {@link open} first. The
   * cursor moves past every tick taken: all of them, or up to the one the position exited on.
   * Throws PositionStepError if the machine fails on it.
   */
  #deliver(ticks: readonly Tick[]): void {
    this.#tickIndex = this.#cursor;
    this.actor.send({ type: 'PRICES', ticks });
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status === 'error') {
      throw this.#failed(
        `on a delivery of ticks ${this.#cursor}–${this.#cursor + ticks.length - 1}`,
        this.#restored && this.#sent === 0,
      );
    }
    // The step that exited records where in the delivery it stood.
    const taken =
      snapshot.status === 'done' && snapshot.context.step !== null
        ? snapshot.context.step.tick + 1
        : ticks.length;
    this.#cursor += taken;
    this.#sent += taken;
  }

  /** Puts an event the actor did not produce (a tick the price path refused) into the event stream, here. */
  report(event: PositionEvent): void {
    this.#emitted(event);
  }

  /** Sends `ticks` in order until the position exits. Throws if persistence wants a commit: use {@link sendBatches}. */
  sendAll(ticks: Iterable<Tick>): void {
    if (this.#steps(ticks).next().done !== true)
      throw new Error('a persisted replay commits asynchronously: drive it with sendBatches');
  }

  /**
   * Sends the ticks of `batches` in order until the position exits (which closes the source),
   * committing whenever persistence asks, and once more at the end. Resolves when the last
   * commit is durable; rejects when a commit fails.
   */
  async sendBatches(
    batches: AsyncIterable<readonly Tick[]> | Iterable<readonly Tick[]>,
  ): Promise<void> {
    if (this.#commitDue) await this.#commit();
    if (this.open) {
      for await (const batch of batches) {
        const steps = this.#steps(batch);
        while (steps.next().done !== true) await this.#commit();
        if (!this.open) break;
      }
    }
    await this.#commit();
  }

  /** Ends the replay: detaches the hooks, stops the actor and returns how the position stands. */
  finish(): ReplayEnd {
    const snapshot = this.actor.getSnapshot();
    this.#detach();
    this.actor.stop();
    return {
      summary: summarize(snapshot.context),
      context: snapshot.context,
      open: snapshot.status === 'active',
    };
  }

  /** The one loop: yields whenever a commit is due before the next tick. */
  *#steps(ticks: Iterable<Tick>): Generator<void, void, undefined> {
    if (this.#delivery > 1 && Array.isArray(ticks)) {
      const all = ticks as readonly Tick[];
      for (let i = 0; i < all.length && this.open; i += this.#delivery) {
        this.#deliver(all.length <= this.#delivery ? all : all.slice(i, i + this.#delivery));
      }
      return;
    }
    for (const tick of ticks) {
      if (!this.open) return;
      this.send(tick);
      if (this.#commitDue) yield;
    }
  }

  async #commit(): Promise<void> {
    this.#commitDue = false;
    await this.#hooks.persistence?.commit();
  }

  #emitted(event: PositionEvent): void {
    this.#hooks.onEvent?.(event, this.#tickIndex);
    if (this.#hooks.persistence !== undefined) this.#stepEvents.push(event);
  }

  #record(opening: boolean): void {
    const persistence = this.#hooks.persistence;
    if (persistence === undefined) return;
    const due = persistence.stepped(this.#cursor, this.#stepEvents.splice(0));
    this.#commitDue ||= due || opening;
  }

  #failed(what: string, firstStepAfterRestore: boolean): PositionStepError {
    const why = describeActorError(this.actor.getSnapshot().error);
    this.#detach();
    this.actor.stop();
    return new PositionStepError(
      `position ${this.#positionId} failed ${what}: ${why}. Nothing of that step was saved.`,
      this.#positionId,
      firstStepAfterRestore,
    );
  }
}
