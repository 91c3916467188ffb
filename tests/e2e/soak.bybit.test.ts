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
      // Open (docs/soak.md, "the exchange kept an older stop price"): after an amend that timed
      // out, the exchange may hold that amend's price though the next one was acknowledged. It
      // shows as one of these two findings; naked, lost, duplicate and looser still must be 0.
      knownOpen: [
        /position stop at \S+ is not the one the engine acknowledged/,
        /the exchange holds our stop\(s\) \[[^\]]+\] but the journal's last desired stop is/,
      ],
    });
  }, 180_000);
});
