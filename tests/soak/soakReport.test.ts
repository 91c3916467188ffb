import { describe, expect, it } from 'vitest';
import {
  passed,
  percentilesOf,
  reportHtml,
  soakReportSchema,
  summaryText,
  type SoakReport,
} from '../../bench/soakReport.ts';

const FAULTS = {
  latency: 3,
  errorRate: 2,
  burst429: 1,
  lostResponse: 1,
  wsDisconnect: 2,
  kill: 1,
  reject: 2,
  frozenFeed: 1,
  storeFault: 1,
  clockSkew: 1,
};

const REPORT: SoakReport = {
  version: 2,
  venue: 'binance',
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
  faults: FAULTS,
  faultsScheduled: { ...FAULTS, kill: 2 },
  faultLog: [
    { atMs: 3000, kind: 'latency', forMs: 2000 },
    { atMs: 9000, kind: 'storeFault', forMs: 3000 },
    { atMs: 12_000, kind: 'kill', forMs: 0 },
  ],
  kills: 1,
  startFailures: 0,
  supervisorRestarts: 1,
  storeHalts: 1,
  ordersWhileHalted: 0,
  checkpoints: 4,
  nakedMs: 0,
  nakedMsWhileDown: 12,
  nakedMsWhileHalted: 0,
  borrowedCoverLostMs: 40,
  borrowedCoverPositions: 1,
  lost: 0,
  duplicates: 0,
  looserStops: 0,
  orphans: 0,
  unsettled: 0,
  journalContinuous: true,
  journalLines: 40,
  requests: 900,
  requestsPerPositionHour: 18000,
  decisionToRestingMs: { count: 10, p50: 40, p99: 300, max: 300 },
  openToProtectedMs: { count: 5, p50: 120, p99: 900, max: 900 },
  alerts: {},
  problems: [],
  samples: [
    {
      atMs: 0,
      openPositions: 2,
      nakedMs: 0,
      requests: 0,
      engineUp: true,
      engineState: 'running',
      latencyMaxMs: 0,
    },
    {
      atMs: 1000,
      openPositions: 2,
      nakedMs: 0,
      requests: 40,
      engineUp: false,
      engineState: 'halted',
      latencyMaxMs: 250,
    },
  ],
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
    expect(soakReportSchema.safeParse({ ...REPORT, version: 1 }).success).toBe(false);
    expect(soakReportSchema.safeParse({ ...REPORT, venue: 'kraken' }).success).toBe(false);
    const withoutVenue: Partial<SoakReport> = { ...REPORT };
    delete withoutVenue.venue;
    expect(soakReportSchema.safeParse(withoutVenue).success).toBe(false);
    expect(soakReportSchema.parse({ ...REPORT, venue: 'bybit' }).venue).toBe('bybit');
    const missingKind: Partial<typeof FAULTS> = { ...FAULTS };
    delete missingKind.storeFault;
    expect(soakReportSchema.safeParse({ ...REPORT, faults: missingKind }).success).toBe(false);
    const badSample = { ...REPORT.samples[0], engineState: 'asleep' };
    expect(soakReportSchema.safeParse({ ...REPORT, samples: [badSample] }).success).toBe(false);
  });

  it('passes only with nothing naked, lost or duplicated and a continuous journal', () => {
    expect(passed(REPORT)).toBe(true);
    expect(passed({ ...REPORT, nakedMs: 1 })).toBe(false);
    expect(passed({ ...REPORT, lost: 1 })).toBe(false);
    expect(passed({ ...REPORT, duplicates: 1 })).toBe(false);
    expect(passed({ ...REPORT, journalContinuous: false })).toBe(false);
    expect(passed({ ...REPORT, looserStops: 1 })).toBe(false);
    expect(passed({ ...REPORT, ordersWhileHalted: 1 })).toBe(false);
    // Naked time while the engine was down is reported, not a failure of the engine.
    expect(passed({ ...REPORT, nakedMsWhileDown: 500 })).toBe(true);
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentilesOf(values)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
    expect(percentilesOf([])).toBeNull();
  });

  it('summarises the figures in the terminal and in a self-contained page', () => {
    const text = summaryText(REPORT);
    expect(text.split('\n')[0]).toMatch(/^soak seed 7 on binance: 60 s soak/);
    expect(summaryText({ ...REPORT, venue: 'bybit' })).toContain('soak seed 7 on bybit:');
    expect(text).toContain('naked       0 ms while running (12 ms while down, 0 ms while halted)');
    expect(text).toContain('15 injected of 16 scheduled');
    expect(text).toContain('store halts 1 (restarted 1, orders while halted 0)');
    expect(text).toContain('first stop  opening → first stop resting p50 120 ms');
    expect(text).toContain('p50 40 ms, p99 300 ms, max 300 ms');
    expect(text).toContain('verdict     PASS');
    const html = reportHtml(REPORT);
    expect(html).toContain('<h1>Ratchet soak on binance, seed 7: PASS</h1>');
    expect(reportHtml({ ...REPORT, venue: 'bybit' })).toContain('Ratchet soak on bybit, seed 7');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src=|href=/);
    // One strip per kind in the faults chart, and each injected fault marked on it.
    for (const kind of Object.keys(FAULTS)) expect(html).toContain(`>${kind} (`);
    expect(html).toContain('<title>storeFault at 9 s for 3000 ms</title>');
    expect(html).toContain('price → stop resting, slowest per second');
    expect(html).toContain('requests per second');
  });
});
