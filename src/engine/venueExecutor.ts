import type { Side } from '../domain/types.ts';
import type { SyncCommand, SyncEvent } from '../machines/orderSyncTypes.ts';
import { VenueError, type Venue, type WorkingType } from '../venues/port.ts';
import { CircuitBreaker } from './circuitBreaker.ts';

/** Counts of calls by endpoint (the command) and failure class, for reports and metrics. */
export interface ExecutorCounters {
  readonly requests: Map<string, number>;
  readonly errors: Map<string, number>;
}

/** Options of {@link VenueExecutor}. */
export interface VenueExecutorOptions {
  readonly workingType: WorkingType;
  readonly now: () => number;
  readonly breaker?: CircuitBreaker;
  /** Sees every answered call: its failure class (undefined: success) and how long it took. */
  readonly onAnswered?: (command: SyncCommand, kind: string | undefined, seconds: number) => void;
  /** Sees every failed call (for logs and alerts). */
  readonly onFailure?: (command: SyncCommand, error: VenueError) => void;
}

// Failures that say the venue is unwell (not that our request was wrong). A rate limit is not
// one: the venue answered, and said when to come back (the sync machine honours Retry-After);
// opening the circuit for 30 s on it would hold back new positions' first stops for nothing.
const UNHEALTHY = new Set(['retryable', 'unknownOutcome']);
// A market close is what the virtual stop sends when the resting stop cannot protect: it is
// tried even while the circuit is open.
const ALWAYS_TRIED = new Set<SyncCommand['type']>(['closeAtMarket', 'lookUpClose']);

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * Performs the sync machine's commands on a venue and answers each with the event that feeds
 * the result back. Never throws and never retries: every failure comes back as `FAILED` with
 * its class, and the machine decides. While the venue's circuit is open nothing is sent.
 */
export class VenueExecutor {
  readonly counters: ExecutorCounters = { requests: new Map(), errors: new Map() };
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly venue: Venue,
    private readonly options: VenueExecutorOptions,
  ) {
    this.breaker =
      options.breaker ??
      new CircuitBreaker({ failuresToOpen: 5, firstOpenMs: 2_000, openMs: 30_000 });
  }

  /** Returns the event answering `command` for the position on `symbol` with `side`. */
  async run(symbol: string, side: Side, command: SyncCommand): Promise<SyncEvent> {
    const verdict = ALWAYS_TRIED.has(command.type)
      ? { allowed: true as const }
      : this.breaker.admit(this.options.now());
    if (!verdict.allowed) {
      return {
        type: 'FAILED',
        ts: this.options.now(),
        kind: 'circuitOpen',
        message: 'the venue kept failing: calls are paused, resting stops stay',
        retryAfterMs: verdict.retryInMs,
      };
    }
    bump(this.counters.requests, command.type);
    const started = performance.now();
    try {
      const event = await this.perform(symbol, side, command);
      this.breaker.record(this.options.now(), true);
      this.options.onAnswered?.(command, undefined, (performance.now() - started) / 1000);
      return event;
    } catch (error) {
      const e =
        error instanceof VenueError
          ? error
          : new VenueError(
              'unknownOutcome',
              error instanceof Error ? error.message : String(error),
            );
      bump(this.counters.errors, `${command.type}:${e.kind}`);
      this.breaker.record(
        this.options.now(),
        !UNHEALTHY.has(e.kind),
        `${command.type}: ${e.message}`,
      );
      this.options.onAnswered?.(command, e.kind, (performance.now() - started) / 1000);
      this.options.onFailure?.(command, e);
      return {
        type: 'FAILED',
        ts: this.options.now(),
        kind: e.kind,
        message: e.message,
        retryAfterMs: e.details.retryAfterMs,
      };
    }
  }

  private async perform(symbol: string, side: Side, command: SyncCommand): Promise<SyncEvent> {
    const { venue } = this;
    switch (command.type) {
      case 'placeStop': {
        const order = await venue.placeStop({
          symbol,
          positionSide: side,
          quantity: command.quantity,
          stopPrice: command.stopPrice,
          clientId: command.clientId,
          workingType: this.options.workingType,
        });
        return {
          type: 'PLACED',
          ts: this.options.now(),
          clientId: command.clientId,
          id: order.id,
          stopPrice: command.stopPrice,
          quantity: command.quantity,
        };
      }
      case 'amendStop':
        await venue.amendStop(command.id, {
          symbol,
          positionSide: side,
          quantity: command.quantity,
          stopPrice: command.stopPrice,
          clientId: command.clientId,
          workingType: this.options.workingType,
        });
        return {
          type: 'AMENDED',
          ts: this.options.now(),
          id: command.id,
          stopPrice: command.stopPrice,
          quantity: command.quantity,
        };
      case 'cancelStop':
        await venue.cancelStop(symbol, command.id);
        return { type: 'CANCELLED', ts: this.options.now(), id: command.id };
      case 'lookUpStop': {
        const order = await venue.fetchStopByClientId(symbol, command.clientId);
        return {
          type: 'LOOKED_UP',
          ts: this.options.now(),
          clientId: command.clientId,
          status: order?.status ?? 'gone',
          order:
            order === undefined
              ? undefined
              : { id: order.id, stopPrice: order.stopPrice, quantity: order.quantity ?? '0' },
        };
      }
      case 'closeAtMarket': {
        const result = await venue.closeMarket({
          symbol,
          positionSide: side,
          quantity: command.quantity,
          clientId: command.clientId,
        });
        return {
          type: 'CLOSE_DONE',
          ts: this.options.now(),
          clientId: command.clientId,
          filled: result.status === 'filled',
        };
      }
      case 'lookUpClose': {
        const result = await venue.fetchMarketOrderByClientId(symbol, command.clientId);
        return {
          type: 'CLOSE_DONE',
          ts: this.options.now(),
          clientId: command.clientId,
          filled: result?.status === 'filled',
        };
      }
    }
  }
}
