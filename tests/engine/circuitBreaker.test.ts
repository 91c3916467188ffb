import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/engine/circuitBreaker.ts';

function breaker() {
  const changes: string[] = [];
  const b = new CircuitBreaker({
    failuresToOpen: 3,
    firstOpenMs: 2000,
    openMs: 10_000,
    onChange: (open, reason) => changes.push(`${open ? 'open' : 'closed'}: ${reason}`),
  });
  return { b, changes };
}

/** Fails `n` calls at `ts`. */
function fail(b: CircuitBreaker, ts: number, n: number): void {
  for (let i = 0; i < n; i++) b.record(ts, false, '503');
}

describe('the circuit breaker', () => {
  it('opens after the failures in a row, for the first pause, then lets one probe through', () => {
    const { b, changes } = breaker();
    fail(b, 1000, 2);
    expect(b.admit(1000)).toEqual({ allowed: true });
    b.record(1000, true);
    fail(b, 1000, 2);
    expect(b.isOpen).toBe(false); // a success in between starts the count again
    fail(b, 1000, 1);
    expect(b.isOpen).toBe(true);
    expect(b.admit(2999)).toEqual({ allowed: false, retryInMs: 1 });
    expect(b.admit(3000)).toEqual({ allowed: true }); // the probe
    expect(b.admit(3000)).toMatchObject({ allowed: false }); // one at a time
    b.record(3050, true);
    expect(b.isOpen).toBe(false);
    expect(changes).toEqual(['open: 503', 'closed: the venue answered again']);
  });

  it('doubles the pause after each failed probe, up to the longest, and starts short again once closed', () => {
    const { b } = breaker();
    fail(b, 0, 3);
    const pauses: number[] = [];
    let ts = 0;
    for (let i = 0; i < 5; i++) {
      const refused = b.admit(ts);
      if (refused.allowed) throw new Error('expected the circuit open');
      ts += refused.retryInMs;
      expect(b.admit(ts)).toEqual({ allowed: true });
      b.record(ts, false, 'probe failed');
      const next = b.admit(ts);
      if (next.allowed) throw new Error('expected the circuit open again');
      pauses.push(next.retryInMs);
    }
    expect(pauses).toEqual([4000, 8000, 10_000, 10_000, 10_000]);
    ts += 10_000;
    expect(b.admit(ts)).toEqual({ allowed: true });
    b.record(ts, true);
    fail(b, ts, 3);
    expect(b.admit(ts)).toEqual({ allowed: false, retryInMs: 2000 });
  });
});
