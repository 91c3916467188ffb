import { Decimal } from 'decimal.js';
import type { Side } from '../domain/types.ts';
import type {
  FailureKind,
  OrderSyncContext,
  OrderSyncInput,
  StopRef,
  SyncCommand,
  SyncEvent,
  SyncRecord,
} from './orderSyncTypes.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Ctx = Mutable<OrderSyncContext>;

/** Returns the context of a sync machine that has placed nothing yet. */
export function initialSyncContext(input: OrderSyncInput): OrderSyncContext {
  return {
    positionId: input.positionId,
    symbol: input.symbol,
    side: input.side,
    clientIdStem: input.clientIdStem,
    settings: input.settings,
    seq: 0,
    quantity: input.quantity,
    desired: null,
    resting: null,
    leftovers: [],
    inflight: null,
    unresolved: null,
    lastMoveTs: null,
    retryAt: null,
    failures: 0,
    atLimit: false,
    limitAlerted: false,
    exit: null,
    fired: false,
    closeSent: false,
    done: false,
    unprotectedSince: input.ts,
    unprotectedMs: 0,
    firstProtectedAt: null,
    gapMs: 0,
    lastTs: input.ts,
  };
}

/** Whether stop `a` is strictly tighter (closer to the market on the protective side) than `b`. */
function tighterThan(a: string, b: string, side: Side): boolean {
  const x = new Decimal(a);
  const y = new Decimal(b);
  return side === 'long' ? x.gt(y) : x.lt(y);
}

function tightest(stops: readonly StopRef[], side: Side): StopRef | undefined {
  let best: StopRef | undefined;
  for (const s of stops)
    if (best === undefined || tighterThan(s.stopPrice, best.stopPrice, side)) best = s;
  return best;
}

/** Whether a move from `resting` to `desired` is worth `percent` of the resting stop (no division). */
function improvesBy(desired: string, resting: string, percent: string): boolean {
  const diff = new Decimal(desired).minus(resting).abs();
  return diff.times(100).gte(new Decimal(percent).times(resting));
}

/**
 * Failures a prompt retry may cure (the venue busy, an answer lost, a clock resynced): a position
 * with no stop on the exchange retries these at the base interval, its first few times.
 */
const PASSING: ReadonlySet<FailureKind> = new Set([
  'retryable',
  'unknownOutcome',
  'circuitOpen',
  'clockSkew',
  'rateLimited',
]);

/** Whether the position is open and ours with no stop resting for it. */
function isNaked(c: Ctx): boolean {
  return c.quantity !== null && c.resting === null && !c.fired && !c.done;
}

function backoff(c: Ctx, ts: number, kind: FailureKind, retryAfterMs: number | undefined): number {
  const { retryBaseMs, retryMaxMs, alertAfterFailures } = c.settings;
  // A naked position is worth request weight: a passing failure is retried at the base interval
  // rather than backed off (Retry-After still rules; a rate limit without one backs off), until
  // the failures reach the alert. Refusals that persist (funds, conflicts, bad orders) back off.
  const prompt =
    isNaked(c) &&
    PASSING.has(kind) &&
    (kind !== 'rateLimited' || retryAfterMs !== undefined) &&
    c.failures < alertAfterFailures;
  const exp = prompt
    ? retryBaseMs
    : Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(20, Math.max(0, c.failures - 1)));
  return ts + Math.max(exp, retryAfterMs ?? 0);
}

function nextClientId(c: Ctx, kind: 's' | 'x'): string {
  c.seq += 1;
  return `${c.clientIdStem}${kind}${c.seq.toString(36)}`;
}

/** Keeps the unprotected-time books: no resting stop while the position is open and ours. */
function account(c: Ctx, ts: number): void {
  if (isNaked(c)) {
    if (c.unprotectedSince === null) c.unprotectedSince = ts;
  } else if (c.unprotectedSince !== null) {
    const span = Math.max(0, ts - c.unprotectedSince);
    c.unprotectedMs += span;
    if (c.firstProtectedAt !== null) c.gapMs += span;
    c.unprotectedSince = null;
    if (c.resting !== null && c.firstProtectedAt === null) c.firstProtectedAt = ts;
  }
}

function fail(
  c: Ctx,
  out: SyncRecord[],
  ts: number,
  command: SyncCommand,
  kind: FailureKind,
  message: string,
  retryAfterMs?: number,
): void {
  c.failures += 1;
  c.retryAt = backoff(c, ts, kind, retryAfterMs);
  out.push({ type: 'requestFailed', ts, command: command.type, kind, message, retryAt: c.retryAt });
  if (kind === 'auth') {
    out.push({ type: 'alert', ts, reason: 'authRefused', message });
  } else if (kind === 'invalid' && command.type === 'placeStop') {
    out.push({ type: 'alert', ts, reason: 'invalidOrder', message });
  } else if (c.failures === c.settings.alertAfterFailures) {
    out.push({
      type: 'alert',
      ts,
      reason: 'placementFailing',
      message: `${c.symbol}: ${c.failures} calls in a row failed, the last with ${kind}: ${message}`,
    });
  }
}

function acceptPlaced(c: Ctx, out: SyncRecord[], ts: number, stop: StopRef): void {
  c.inflight = null;
  c.unresolved = null;
  c.failures = 0;
  c.retryAt = null;
  if (c.quantity === null) {
    c.leftovers = [...c.leftovers, stop];
    out.push({ type: 'stopResting', ts, stop, replaces: null });
    return;
  }
  const old = c.resting;
  c.resting = stop;
  c.lastMoveTs = ts;
  c.atLimit = false;
  // A new stop beside the old one: there was room, so a later refusal is news again.
  if (old !== null) c.limitAlerted = false;
  if (old !== null) c.leftovers = [old, ...c.leftovers];
  out.push({ type: 'stopResting', ts, stop, replaces: old?.id ?? null });
}

function removeStop(c: Ctx, id: string): void {
  if (c.resting?.id === id) c.resting = null;
  c.leftovers = c.leftovers.filter((s) => s.id !== id);
}

/** Applies `e` at `ts`: its own time, or the last one seen when it arrives out of order. */
function apply(c: Ctx, e: SyncEvent, ts: number, out: SyncRecord[]): void {
  switch (e.type) {
    case 'DESIRED':
      c.desired = e.stop;
      return;
    case 'EXIT':
      if (c.exit === null) c.exit = { ts, price: e.price, stop: e.stop, force: false };
      return;
    case 'CLOCK':
      return;
    case 'CLOSE':
      if (c.quantity === null || c.closeSent) return;
      c.exit = {
        ts,
        price: c.exit?.price ?? '0',
        stop: c.exit?.stop ?? c.desired ?? '0',
        force: true,
      };
      out.push({ type: 'closeRequested', ts, reason: e.reason });
      return;
    case 'POSITION':
      if (e.quantity === null) {
        if (c.quantity !== null) out.push({ type: 'positionFlat', ts });
        c.quantity = null;
      } else if (c.quantity === null || !new Decimal(c.quantity).eq(e.quantity)) {
        c.quantity = e.quantity;
        out.push({ type: 'positionResized', ts, quantity: e.quantity });
      }
      return;
    case 'PLACED': {
      const f = c.inflight;
      if (f?.type !== 'placeStop' || f.clientId !== e.clientId) return;
      acceptPlaced(c, out, ts, {
        id: e.id,
        clientId: e.clientId,
        stopPrice: e.stopPrice,
        quantity: e.quantity,
        placedAt: ts,
      });
      return;
    }
    case 'AMENDED': {
      const f = c.inflight;
      if (f?.type !== 'amendStop' || f.id !== e.id || c.resting?.id !== e.id) return;
      c.inflight = null;
      c.failures = 0;
      c.retryAt = null;
      c.lastMoveTs = ts;
      c.resting = { ...c.resting, stopPrice: e.stopPrice, quantity: e.quantity };
      out.push({ type: 'stopAmended', ts, stop: c.resting });
      return;
    }
    case 'CANCELLED': {
      const f = c.inflight;
      if (f?.type !== 'cancelStop' || f.id !== e.id) return;
      c.inflight = null;
      c.failures = 0;
      c.retryAt = null;
      removeStop(c, e.id);
      out.push({ type: 'stopCancelled', ts, id: e.id, purpose: f.purpose });
      return;
    }
    case 'LOOKED_UP': {
      const f = c.inflight;
      if (f?.type !== 'lookUpStop' || f.clientId !== e.clientId) return;
      c.inflight = null;
      c.unresolved = null;
      c.failures = 0;
      c.retryAt = null;
      // Every answer is journaled, also one that changes nothing ("still open", "never placed").
      out.push({ type: 'stopLookedUp', ts, clientId: e.clientId, status: e.status });
      if (f.after === 'place') {
        if (e.status === 'open' && e.order !== undefined) {
          acceptPlaced(c, out, ts, {
            id: e.order.id,
            clientId: e.clientId,
            stopPrice: e.order.stopPrice,
            quantity: e.order.quantity,
            placedAt: ts,
          });
        } else if (e.status === 'triggered' && e.order !== undefined) {
          c.fired = true;
          out.push({ type: 'stopFired', ts, id: e.order.id });
        }
        // 'gone' and the rest: the place never happened; the next decision places afresh.
        return;
      }
      const stop = [c.resting, ...c.leftovers].find((s) => s?.clientId === e.clientId) ?? undefined;
      if (stop === undefined) return;
      if (e.status === 'open') return; // still there: the next decision cancels it again
      if (e.status === 'triggered' && stop.id === c.resting?.id) {
        c.fired = true;
        out.push({ type: 'stopFired', ts, id: stop.id });
      }
      removeStop(c, stop.id);
      out.push({ type: 'stopCancelled', ts, id: stop.id, purpose: 'external' });
      return;
    }
    case 'CLOSE_DONE': {
      const f = c.inflight;
      if (f?.type !== 'closeAtMarket' && f?.type !== 'lookUpClose') return;
      if (f.clientId !== e.clientId) return;
      c.inflight = null;
      c.unresolved = null;
      c.failures = 0;
      c.retryAt = null;
      c.closeSent = e.filled;
      out.push({ type: 'closedAtMarket', ts, clientId: e.clientId, filled: e.filled });
      if (e.filled) {
        if (c.quantity !== null) out.push({ type: 'positionFlat', ts });
        c.quantity = null;
      }
      return;
    }
    case 'STOP_CHANGED': {
      if (e.status === 'open') return;
      // Our own cancel, seen on the stream before its answer: the answer journals it, once.
      const f = c.inflight;
      if (f?.type === 'cancelStop' && f.id === e.id && e.status !== 'triggered') return;
      const isResting = c.resting?.id === e.id;
      const known = isResting || c.leftovers.some((s) => s.id === e.id);
      if (!known) return;
      if (isResting && e.status === 'triggered') {
        c.fired = true;
        out.push({ type: 'stopFired', ts, id: e.id });
      } else {
        out.push({ type: 'stopCancelled', ts, id: e.id, purpose: 'external' });
      }
      removeStop(c, e.id);
      return;
    }
    case 'FAILED': {
      const f = c.inflight;
      if (f === null) return;
      c.inflight = null;
      onFailure(c, out, ts, f, e.kind, e.message, e.retryAfterMs);
      return;
    }
    case 'RECONCILED': {
      c.inflight = null;
      c.unresolved = null;
      c.retryAt = null;
      c.failures = 0;
      c.quantity = e.quantity;
      c.fired = false;
      c.closeSent = false;
      const sorted = [...e.stops].sort((a, b) => b.placedAt - a.placedAt);
      const keep = tightest(sorted, c.side);
      c.resting = e.quantity === null ? null : (keep ?? null);
      c.leftovers = sorted.filter((s) => s !== c.resting);
      out.push({
        type: 'reconciled',
        ts,
        resting: c.resting?.id ?? null,
        leftovers: c.leftovers.length,
        quantity: e.quantity,
      });
      return;
    }
  }
}

function onFailure(
  c: Ctx,
  out: SyncRecord[],
  ts: number,
  f: SyncCommand,
  kind: FailureKind,
  message: string,
  retryAfterMs: number | undefined,
): void {
  switch (f.type) {
    case 'placeStop':
      if (kind === 'unknownOutcome') {
        c.unresolved = { clientId: f.clientId, after: 'place' };
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
      } else if (kind === 'immediatelyTriggers') {
        c.exit = { ts, price: f.stopPrice, stop: f.stopPrice, force: true };
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
      } else if (kind === 'tooManyStops') {
        if (c.limitAlerted !== true)
          out.push({
            type: 'alert',
            ts,
            reason: 'orderLimit',
            message: `${c.symbol}: the account is at its conditional-order limit; moving stops by cancel-then-create`,
          });
        c.atLimit = true;
        c.limitAlerted = true;
        if (c.resting === null) fail(c, out, ts, f, kind, message, retryAfterMs);
        else out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
      } else {
        fail(c, out, ts, f, kind, message, retryAfterMs);
      }
      return;
    case 'amendStop':
      if (kind === 'immediatelyTriggers') {
        c.exit = { ts, price: f.stopPrice, stop: f.stopPrice, force: true };
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
      } else if (kind === 'notFound' || kind === 'noPosition') {
        // The stop (or the position) is gone: reconciliation tells which.
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
        c.resting = null;
      } else {
        // An amend is idempotent: whatever its outcome, sending it again is safe.
        fail(c, out, ts, f, kind, message, retryAfterMs);
      }
      return;
    case 'cancelStop':
      if (kind === 'notFound') {
        c.unresolved = { clientId: f.clientId, after: 'cancel' };
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
      } else {
        fail(c, out, ts, f, kind, message, retryAfterMs);
      }
      return;
    case 'lookUpStop':
      c.unresolved = { clientId: f.clientId, after: f.after };
      fail(c, out, ts, f, kind, message, retryAfterMs);
      return;
    case 'closeAtMarket':
    case 'lookUpClose':
      if (kind === 'noPosition') {
        out.push({ type: 'requestFailed', ts, command: f.type, kind, message, retryAt: null });
        if (c.quantity !== null) out.push({ type: 'positionFlat', ts });
        c.quantity = null;
      } else if (kind === 'unknownOutcome' || f.type === 'lookUpClose') {
        c.unresolved = { clientId: f.clientId, after: 'close' };
        fail(c, out, ts, f, kind, message, retryAfterMs);
      } else {
        fail(c, out, ts, f, kind, message, retryAfterMs);
      }
      return;
  }
}

/** Returns the one command to send now, or undefined; records what it issues in `c`. */
function decide(c: Ctx, ts: number, out: SyncRecord[]): SyncCommand | undefined {
  if (c.inflight !== null || c.done) return undefined;
  if (c.unresolved !== null) {
    if (c.retryAt !== null && ts < c.retryAt) return undefined;
    const { clientId, after } = c.unresolved;
    return after === 'close'
      ? { type: 'lookUpClose', clientId }
      : { type: 'lookUpStop', clientId, after };
  }
  if (c.quantity === null) {
    if (c.resting !== null) {
      c.leftovers = [c.resting, ...c.leftovers];
      c.resting = null;
    }
    // A position's own stop (Bybit's trading-stop) goes with the position: what rests under
    // its id once the symbol is flat belongs to the next position there, never ours to cancel.
    if (c.settings.atomicAmend === true) {
      for (const left of c.leftovers)
        out.push({ type: 'stopCancelled', ts, id: left.id, purpose: 'external' });
      c.leftovers = [];
    }
    if (c.retryAt !== null && ts < c.retryAt) return undefined;
    const left = c.leftovers[0];
    if (left !== undefined)
      return { type: 'cancelStop', id: left.id, clientId: left.clientId, purpose: 'leftover' };
    c.done = true;
    return undefined;
  }
  if (c.fired) return undefined;
  if (c.exit !== null) {
    if (c.closeSent) return undefined;
    const restingHolds =
      c.resting !== null && !tighterThan(c.exit.stop, c.resting.stopPrice, c.side);
    if (c.exit.force || !restingHolds || ts >= c.exit.ts + c.settings.exitGraceMs) {
      if (c.retryAt !== null && ts < c.retryAt) return undefined;
      return { type: 'closeAtMarket', clientId: nextClientId(c, 'x'), quantity: c.quantity };
    }
    return undefined;
  }
  if (c.retryAt !== null && ts < c.retryAt) return undefined;
  if (c.desired === null) return undefined;
  if (c.resting === null) {
    return {
      type: 'placeStop',
      clientId: nextClientId(c, 's'),
      stopPrice: c.desired,
      quantity: c.quantity,
    };
  }
  const left = c.leftovers[0];
  if (left !== undefined) {
    return {
      type: 'cancelStop',
      id: left.id,
      clientId: left.clientId,
      purpose: left.placedAt <= c.resting.placedAt ? 'superseded' : 'leftover',
    };
  }
  const resting = c.resting;
  const improves = tighterThan(c.desired, resting.stopPrice, c.side);
  const resize = !new Decimal(resting.quantity).eq(c.quantity);
  const { minIntervalMs, minImprovementPercent, emergencyPercent } = c.settings;
  const due =
    resize ||
    (improves &&
      (improvesBy(c.desired, resting.stopPrice, emergencyPercent) ||
        (improvesBy(c.desired, resting.stopPrice, minImprovementPercent) &&
          (c.lastMoveTs === null || ts - c.lastMoveTs >= minIntervalMs))));
  if (!due) return undefined;
  const stopPrice = improves ? c.desired : resting.stopPrice;
  if (c.settings.atomicAmend === true)
    return {
      type: 'amendStop',
      id: resting.id,
      clientId: resting.clientId,
      stopPrice,
      quantity: c.quantity,
    };
  if (c.atLimit)
    return { type: 'cancelStop', id: resting.id, clientId: resting.clientId, purpose: 'makeRoom' };
  return { type: 'placeStop', clientId: nextClientId(c, 's'), stopPrice, quantity: c.quantity };
}

/**
 * Returns the sync machine's context after `event`, the journal records it produced and the
 * command to send (also among the records). Pure: time is the event's `ts`.
 */
export function syncStep(
  context: OrderSyncContext,
  event: SyncEvent,
): { context: OrderSyncContext; records: SyncRecord[]; command: SyncCommand | undefined } {
  if (context.done) return { context, records: [], command: undefined };
  const c: Ctx = { ...context };
  const ts = Math.max(c.lastTs, event.ts);
  c.lastTs = ts;
  const out: SyncRecord[] = [];
  apply(c, event, ts, out);
  account(c, ts);
  const command = decide(c, ts, out);
  if (command !== undefined) {
    c.inflight = command;
    out.push({ ...command, ts });
  }
  account(c, ts);
  if (c.done) out.push({ type: 'syncDone', ts, unprotectedMs: c.unprotectedMs, gapMs: c.gapMs });
  return { context: c, records: out, command };
}

/** Returns the machine state a context is in (the statechart's routing). */
export function syncPhase(
  c: OrderSyncContext,
): 'none' | 'placing' | 'resting' | 'replacing' | 'cancelling' | 'unknown' | 'closing' | 'closed' {
  if (c.done) return 'closed';
  const f = c.inflight;
  if (f?.type === 'lookUpStop' || f?.type === 'lookUpClose' || c.unresolved !== null)
    return 'unknown';
  if (f?.type === 'placeStop' || f?.type === 'amendStop') return 'placing';
  if (f?.type === 'cancelStop') return f.purpose === 'superseded' ? 'replacing' : 'cancelling';
  if (f?.type === 'closeAtMarket' || c.exit !== null || c.fired || c.quantity === null)
    return 'closing';
  return c.resting === null ? 'none' : 'resting';
}
