import { describe, it } from 'vitest';
import { soakMeetsTargets } from './soakTargets.ts';

describe('the chaos soak on Bybit', () => {
  it('keeps every position stop protecting through 30 s of seeded faults, kills and a full disk', async () => {
    // Half a minute holds about six faults for most seeds; seed 68's holds every kind, the kill
    // and the full disk far enough apart that neither is skipped for a restart, a -1.5 s clock
    // skew, a frozen public stream and internal errors (10016) on every endpoint.
    await soakMeetsTargets({
      label: 'bybit soak test',
      venue: 'bybit',
      durationMs: 30_000,
      seed: 68,
    });
  }, 180_000);
});
