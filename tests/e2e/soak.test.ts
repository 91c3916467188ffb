import { describe, expect, it } from 'vitest';
import { soakReportSchema, summaryText } from '../../bench/soakReport.ts';
import { runSoak } from '../../bench/soakRun.ts';
import { testSeed } from './liveProcess.ts';

describe('the chaos soak', () => {
  it('keeps every position protected through 60 s of seeded faults, kills and a full disk', async () => {
    // Every kind of fault comes once early in any seed's minute (a kill or full disk due while
    // the engine restarts is skipped; seed 25 injects them all).
    const seed = testSeed('soak test', 25);
    const report = await runSoak({
      seed,
      durationMs: 60_000,
      positions: 3,
      // A loaded machine may take long to settle; the bound only turns a hang into a finding.
      settleBoundMs: 60_000,
      log: (line) => console.log(line),
    });
    console.log(summaryText(report));
    expect(soakReportSchema.parse(report)).toEqual(report);
    expect(report.problems).toEqual([]);
    expect(report.nakedMs).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.duplicates).toBe(0);
    expect(report.unsettled).toBe(0);
    expect(report.looserStops).toBe(0);
    expect(report.ordersWhileHalted).toBe(0);
    expect(report.journalContinuous).toBe(true);
    // The soak did what it claims: faults of every kind, kills, positions that came and went.
    for (const [kind, n] of Object.entries(report.faults)) expect(n, kind).toBeGreaterThan(0);
    expect(report.kills).toBeGreaterThan(0);
    expect(report.positions.opened).toBeGreaterThan(report.symbols.length);
    expect(report.decisionToRestingMs?.count ?? 0).toBeGreaterThan(0);
    expect(report.requests).toBeGreaterThan(0);
  }, 240_000);
});
