import type { OrderSyncContext } from '../machines/orderSyncTypes.ts';
import { syncPhase } from '../machines/orderSyncStep.ts';
import type { PositionContext } from '../machines/positionContext.ts';
import type { SnapshotEnvelope } from '../store/envelope.ts';
import type { PositionStatus } from './liveEngine.ts';
import { SYNC_SUFFIX, type SlotMeta } from './positionSlot.ts';

/**
 * Returns the live positions a stopped engine left in its store, as `status()` would show them:
 * each unfinished position machine with its order-sync machine (finished ones are left out).
 * Unprotected time is counted up to the last step each sync machine took.
 */
export function storedPositions(
  envelopes: readonly SnapshotEnvelope[],
  venue: string,
): PositionStatus[] {
  const byId = new Map(envelopes.map((e) => [e.positionId, e]));
  const out: PositionStatus[] = [];
  for (const env of envelopes) {
    if (env.positionId.endsWith(SYNC_SUFFIX)) continue;
    const sync = byId.get(env.positionId + SYNC_SUFFIX);
    if (sync === undefined || sync.snapshot.status !== 'active') continue;
    let meta: SlotMeta;
    try {
      meta = JSON.parse(env.source) as SlotMeta;
    } catch {
      continue;
    }
    if (meta.venue !== venue) continue;
    const c = sync.snapshot.context as OrderSyncContext;
    const p = env.snapshot.context as PositionContext;
    const openFor = c.unprotectedSince === null ? 0 : Math.max(0, c.lastTs - c.unprotectedSince);
    out.push({
      id: meta.positionId,
      symbol: meta.symbol,
      side: meta.side,
      state: syncPhase(c),
      lane: 'normal',
      desiredStop: p.stop,
      restingStop: c.resting?.stopPrice ?? null,
      unprotectedMs: c.unprotectedMs + openFor,
      gapMs: c.gapMs,
    });
  }
  return out;
}
