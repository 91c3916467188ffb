import { describe, expect, it } from 'vitest';
import {
  AlertThrottle,
  type Alert,
  type AlertSeverity,
} from '../../src/telemetry/alertThrottle.ts';

const MIN = 60_000;
const a = (
  key: string,
  message = `${key} happened`,
  severity: AlertSeverity = 'warning',
): Alert => ({
  key,
  severity,
  message,
});

describe('AlertThrottle', () => {
  it('sends a key’s first alert, counts its repeats and summarises them when the interval ends', () => {
    const t = new AlertThrottle(5 * MIN);
    // [time, call, messages delivered]
    const rows: [number, () => string[], string[]][] = [
      [0, () => msgs(t.offer(a('down'), 0)), ['down happened']], // first: at once
      [1 * MIN, () => msgs(t.offer(a('down'), 1 * MIN)), []], // repeat: counted
      [2 * MIN, () => msgs(t.offer(a('down', 'still down'), 2 * MIN)), []], // repeat: counted, latest kept
      [2 * MIN, () => msgs(t.offer(a('other'), 2 * MIN)), ['other happened']], // another key: its own limit
      [4 * MIN, () => msgs(t.due(4 * MIN)), []], // nothing due yet
      [5 * MIN, () => msgs(t.due(5 * MIN)), ['still down (2 more in the last 5 min)']], // summary
      [6 * MIN, () => msgs(t.offer(a('down'), 6 * MIN)), []], // the storm goes on: still limited
      [7 * MIN, () => msgs(t.due(7 * MIN)), []], // 'other' stayed quiet: forgotten, nothing sent
      [10 * MIN, () => msgs(t.due(10 * MIN)), ['down happened (1 more in the last 5 min)']],
      [15 * MIN, () => msgs(t.due(15 * MIN)), []], // quiet interval: 'down' forgotten
      [15 * MIN, () => msgs(t.offer(a('down'), 15 * MIN)), ['down happened']], // so sent at once
    ];
    for (const [time, call, expected] of rows) expect([time, call()]).toEqual([time, expected]);
  });

  it('sends a late summary before a repeat that comes after the interval, with no timer run', () => {
    const t = new AlertThrottle(MIN);
    t.offer(a('k'), 0);
    t.offer(a('k'), 10_000);
    expect(msgs(t.offer(a('k', 'again'), 2 * MIN))).toEqual([
      'k happened (1 more in the last 2 min)',
      'again',
    ]);
  });

  it('keeps the highest severity of a summarised storm', () => {
    const t = new AlertThrottle(MIN);
    t.offer(a('k', 'm', 'warning'), 0);
    t.offer(a('k', 'm', 'critical'), 1);
    t.offer(a('k', 'm', 'info'), 2);
    expect(t.due(MIN).map((o) => o.severity)).toEqual(['critical']);
  });

  it('tracks at most maxKeys keys, summarising the oldest early', () => {
    const t = new AlertThrottle(MIN, 3);
    for (const key of ['k1', 'k2', 'k3']) t.offer(a(key), 0);
    t.offer(a('k1'), 1);
    for (let i = 4; i < 100; i += 1) {
      const out = msgs(t.offer(a(`k${i}`), 2));
      if (i === 4) expect(out).toEqual(['k1 happened (1 more in the last 1 min)', 'k4 happened']);
      expect(t.size).toBeLessThanOrEqual(3);
    }
  });

  it('hands every pending summary over at shutdown and forgets all keys', () => {
    const t = new AlertThrottle(MIN);
    t.offer(a('k'), 0);
    t.offer(a('k'), 1);
    t.offer(a('quiet'), 1);
    expect(msgs(t.flush(30_000))).toEqual(['k happened (1 more in the last 1 min)']);
    expect(t.size).toBe(0);
    expect(t.nextDueAt()).toBeUndefined();
  });
});

function msgs(out: readonly { message: string }[]): string[] {
  return out.map((o) => o.message);
}
