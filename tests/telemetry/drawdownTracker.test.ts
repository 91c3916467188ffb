import { describe, expect, it } from 'vitest';
import { DrawdownTracker } from '../../src/telemetry/drawdownTracker.ts';

const H = 3_600_000;

describe('DrawdownTracker', () => {
  it('measures the latest equity against the window’s peak', () => {
    const t = new DrawdownTracker({ windowMs: 24 * H, maxDrawdownPercent: '10' });
    // [time, equity, peak, percent, breached]
    const rows: [number, string, string, string, boolean][] = [
      [0, '1000', '1000', '0', false], // first sample: its own peak
      [1 * H, '1100', '1100', '0', false], // a new high
      [2 * H, '1045', '1100', '5', false], // 5 % below the high
      [3 * H, '990', '1100', '10', true], // exactly the limit: breached
      [4 * H, '1200.50', '1200.5', '0', false], // recovered past the peak
      [5 * H, '1080.45', '1200.5', '10', true], // exact decimals: (1200.5 - 1080.45) / 1200.5 = 10 %
      [6 * H, '1080.46', '1200.5', '9.9991670137442732195', false], // a cent above the limit
    ];
    for (const [ts, equity, peak, percent, breached] of rows) {
      const r = t.record(ts, equity);
      expect([ts, r?.peak, r?.percent, r?.breached]).toEqual([ts, peak, percent, breached]);
    }
  });

  it('forgets a peak once it has left the window', () => {
    const t = new DrawdownTracker({ windowMs: 24 * H, maxDrawdownPercent: '20' });
    // [time, equity, peak, breached]
    const rows: [number, string, string, boolean][] = [
      [0, '2000', '2000', false], // the peak
      [1 * H, '1500', '2000', true], // 25 % down
      [2 * H, '1400', '2000', true],
      [24 * H, '1400', '2000', true], // the peak is exactly 24 h old: still in the window
      [24 * H + 1, '1400', '1500', false], // the 2000 peak has left: 1400 is 6.67 % below 1500
      [25 * H + 1, '1400', '1400', false], // and so has 1500
      [26 * H + 1, '1300', '1400', false], // 1400 (24 h, 25 h) is still in: 7.14 %
    ];
    for (const [ts, equity, peak, breached] of rows) {
      const r = t.record(ts, equity);
      expect([ts, r?.peak, r?.breached]).toEqual([ts, peak, breached]);
    }
  });

  it('ignores a sample older than the latest one', () => {
    const t = new DrawdownTracker({ windowMs: H, maxDrawdownPercent: '5' });
    t.record(1000, '100');
    const before = t.record(2000, '99');
    expect(t.record(1500, '1')).toEqual(before);
  });

  it('reports no drawdown against a peak of zero or less', () => {
    const t = new DrawdownTracker({ windowMs: H, maxDrawdownPercent: '5' });
    t.record(0, '0');
    expect(t.record(1, '-10')).toMatchObject({ percent: '0', breached: false });
  });

  it('keeps at most one peak candidate per bucket, however many samples come', () => {
    const t = new DrawdownTracker({ windowMs: 24 * H, maxDrawdownPercent: '50', buckets: 24 });
    // Equity falls every minute for two days: without buckets every sample stays a candidate.
    let equity = 100_000;
    for (let m = 0; m < 2 * 24 * 60; m += 1) {
      t.record(m * 60_000, String(equity));
      equity -= 1;
      expect(t.size).toBeLessThanOrEqual(25);
    }
    // The true peak of the last 24 h is the sample at minute 1439; a bucket may keep one up
    // to an hour older (higher), never a lower one.
    const truePeak = 100_000 - 1439;
    const peak = Number(t.reading()?.peak);
    expect(peak).toBeGreaterThanOrEqual(truePeak);
    expect(peak).toBeLessThanOrEqual(truePeak + 60);
  });
});
