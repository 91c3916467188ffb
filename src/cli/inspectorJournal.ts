import { SYNC_SUFFIX } from '../engine/positionSlot.ts';
import type { JournalReader } from '../inspector/inspectorServer.ts';
import type { JournalLine } from '../inspector/protocol.ts';
import { RingBuffer } from '../inspector/ringBuffer.ts';
import type { SyncRecord } from '../machines/orderSyncTypes.ts';
import type { JournalRead } from '../store/positionStore.ts';

/**
 * Returns the inspector's journal reader over a store: a live position's SPEC events and its
 * order-sync records (kept under `<id>/sync`), newest `limit` of them, oldest first. The store
 * keeps one journal in commit order over every position, so each read scans it: it runs only
 * when a page asks, and keeps no more than `limit` lines of what it reads.
 */
export function inspectorJournal(store: { readJournal(): Promise<JournalRead> }): JournalReader {
  return async (positionId, limit) => {
    const { entries } = await store.readJournal();
    const sync = `${positionId}${SYNC_SUFFIX}`;
    const lines = new RingBuffer<JournalLine>(Math.max(1, limit));
    let total = 0;
    for (const e of entries) {
      if (e.positionId !== positionId && e.positionId !== sync) continue;
      total += 1;
      lines.push(
        e.positionId === sync
          ? { machine: 'sync', seq: e.seq, event: e.event as unknown as SyncRecord }
          : { machine: 'position', seq: e.seq, event: e.event },
      );
    }
    return { positionId, total, lines: lines.toArray() };
  };
}
