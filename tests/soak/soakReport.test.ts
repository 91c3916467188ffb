import { describe, expect, it } from 'vitest';
import {
  passed,
  percentilesOf,
  reportHtml,
  soakReportSchema,
  summaryText,
  type SoakReport,
} from '../../bench/soakReport.ts';

const REPORT: SoakReport = {
  version: 1,
  seed: 7,
  durationMs: 60_000,
  wallMs: 75_000,
  symbols: ['BTCUSDT', 'ETHUSDT'],
  positions: {
    opened: 5,
    closedByStop: 2,
    closedByTest: 1,
    closedByEngine: 0,
    openAtEnd: 2,
    positionHours: 0.05,
  },
  faults: { latency: 3, errorRate: 2, burst429: 1, lostResponse: 1, wsDisconnect: 2, kill: 1 },
  kills: 1,
  startFailures: 0,
  checkpoints: 4,
  nakedMs: 0,
  lost: 0,
  duplicates: 0,
  orphans: 0,
  unsettled: 0,
  journalContinuous: true,
  journalLines: 40,
  requests: 900,
  requestsPerPositionHour: 18000,
  decisionToRestingMs: { count: 10, p50: 40, p99: 300, max: 300 },
  alerts: {},
  problems: [],
  samples: [{ atMs: 0, openPositions: 2, nakedMs: 0, requests: 0, engineUp: true }],
};

describe('the soak report', () => {
  it('accepts a complete report and round-trips it through JSON', () => {
    expect(soakReportSchema.parse(JSON.parse(JSON.stringify(REPORT)))).toEqual(REPORT);
  });

  it('refuses a report missing a target, with an unknown field or a negative count', () => {
    const withoutNaked: Partial<SoakReport> = { ...REPORT };
    delete withoutNaked.nakedMs;
    expect(soakReportSchema.safeParse(withoutNaked).success).toBe(false);
    expect(soakReportSchema.safeParse({ ...REPORT, extra: 1 }).success).toBe(false);
    expect(soakReportSchema.safeParse({ ...REPORT, lost: -1 }).success).toBe(false);
    expect(soakReportSchema.safeParse({ ...REPORT, faults: { meteor: 1 } }).success).toBe(false);
    expect(soakReportSchema.safeParse({ ...REPORT, version: 2 }).success).toBe(false);
  });

  it('passes only with nothing naked, lost or duplicated and a continuous journal', () => {
    expect(passed(REPORT)).toBe(true);
    expect(passed({ ...REPORT, nakedMs: 1 })).toBe(false);
    expect(passed({ ...REPORT, lost: 1 })).toBe(false);
    expect(passed({ ...REPORT, duplicates: 1 })).toBe(false);
    expect(passed({ ...REPORT, journalContinuous: false })).toBe(false);
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentilesOf(values)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
    expect(percentilesOf([])).toBeNull();
  });

  it('summarises the figures in the terminal and in a self-contained page', () => {
    const text = summaryText(REPORT);
    expect(text).toContain('naked       0 ms');
    expect(text).toContain('p50 40 ms, p99 300 ms, max 300 ms');
    expect(text).toContain('verdict     PASS');
    const html = reportHtml(REPORT);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src=|href=/);
  });
});
