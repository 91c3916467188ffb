import { expect } from 'vitest';
import { soakReportSchema, summaryText, type SoakReport } from '../../bench/soakReport.ts';
import { runSoak } from '../../bench/soakRun.ts';
import type { SoakVenue } from '../../bench/soakSchedule.ts';
import { testSeed } from './liveProcess.ts';

/** What one CI soak runs: its wire format, its soak time and its seed unless one is given. */
export interface CiSoak {
  readonly label: string;
  readonly venue: SoakVenue;
  readonly durationMs: number;
  readonly seed: number;
  /**
   * Findings of an open, documented defect (docs/soak.md, "Still open") that this soak may meet:
   * printed, not failed on. Every other problem fails the test.
   */
  readonly knownOpen?: readonly RegExp[];
}

/**
 * Runs a three-position soak (the seed printed; `RATCHET_TEST_SEED` repeats another) and checks
 * the targets — nothing naked, lost, duplicated, looser or sent while halted, every settle
 * reached, the journal continuous, no problem — and that it did what it claims: faults of every
 * kind, kills, positions that came and went, stops that moved. Returns the report.
 */
export async function soakMeetsTargets(soak: CiSoak): Promise<SoakReport> {
  const seed = testSeed(soak.label, soak.seed);
  const report = await runSoak({
    seed,
    venue: soak.venue,
    durationMs: soak.durationMs,
    positions: 3,
    // A loaded machine may take long to settle; the bound only turns a hang into a finding.
    settleBoundMs: 60_000,
    log: (line) => console.log(line),
  });
  console.log(summaryText(report));
  expect(soakReportSchema.parse(report)).toEqual(report);
  expect(report.venue).toBe(soak.venue);
  const known = report.problems.filter((p) => soak.knownOpen?.some((r) => r.test(p)) === true);
  for (const p of known) console.log(`known open finding (docs/soak.md), not failed on: ${p}`);
  expect(report.problems.filter((p) => !known.includes(p))).toEqual([]);
  expect(report.nakedMs).toBe(0);
  expect(report.lost).toBe(0);
  expect(report.duplicates).toBe(0);
  expect(report.unsettled).toBe(0);
  expect(report.looserStops).toBe(0);
  expect(report.ordersWhileHalted).toBe(0);
  expect(report.journalContinuous).toBe(true);
  for (const [kind, n] of Object.entries(report.faults)) expect(n, kind).toBeGreaterThan(0);
  expect(report.kills).toBeGreaterThan(0);
  expect(report.positions.opened).toBeGreaterThan(report.symbols.length);
  expect(report.decisionToRestingMs?.count ?? 0).toBeGreaterThan(0);
  expect(report.requests).toBeGreaterThan(0);
  return report;
}
