import { createActor } from 'xstate';
import { orderSyncMachine } from '../../src/machines/orderSyncMachine.ts';
import type {
  ProtectionSettings,
  SyncCommand,
  SyncEvent,
  SyncRecord,
} from '../../src/machines/orderSyncTypes.ts';
import type { Side } from '../../src/domain/types.ts';

export const SETTINGS: ProtectionSettings = {
  minIntervalMs: 60_000,
  minImprovementPercent: '0.1',
  emergencyPercent: '1',
  exitGraceMs: 5_000,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  alertAfterFailures: 3,
};

/** Starts a sync actor and returns helpers that send events and collect its records. */
export function startSync(side: Side, settings: ProtectionSettings = SETTINGS) {
  const actor = createActor(orderSyncMachine, {
    input: {
      positionId: 'p1',
      symbol: 'BTCUSDT',
      side,
      quantity: '2',
      clientIdStem: 'rt-abc-',
      settings,
      ts: 0,
    },
  });
  const records: SyncRecord[] = [];
  actor.on('*', (r) => records.push(r));
  actor.start();
  const send = (e: SyncEvent) => {
    const from = records.length;
    actor.send(e);
    return records.slice(from);
  };
  const command = (): SyncCommand | null => actor.getSnapshot().context.inflight;
  const state = () => actor.getSnapshot().value as string;
  return { actor, records, send, command, state };
}
