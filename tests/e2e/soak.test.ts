import { describe, it } from 'vitest';
import { soakMeetsTargets } from './soakTargets.ts';

describe('the chaos soak', () => {
  it('keeps every position protected through 60 s of seeded faults, kills and a full disk', async () => {
    // Every kind of fault comes once early in any seed's minute (a kill or full disk due while
    // the engine restarts is skipped; seed 25 injects them all).
    await soakMeetsTargets({ label: 'soak test', venue: 'binance', durationMs: 60_000, seed: 25 });
  }, 240_000);
});
