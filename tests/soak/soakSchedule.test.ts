import { describe, expect, it } from 'vitest';
import { countByKind, FAULT_KINDS, faultSchedule } from '../../bench/soakSchedule.ts';

const SEED = 20261127;

describe('faultSchedule', () => {
  it('gives the same faults for the same seed and others for another seed', () => {
    console.log(`fault schedule test: seed ${SEED}`);
    const a = faultSchedule(SEED, 600_000);
    expect(faultSchedule(SEED, 600_000)).toEqual(a);
    expect(faultSchedule(SEED + 1, 600_000)).not.toEqual(a);
  });

  it('orders faults in time, within the soak and out of its quiet start and tail', () => {
    const faults = faultSchedule(SEED, 600_000, { quietTailMs: 10_000 });
    expect(faults.length).toBeGreaterThan(50);
    const times = faults.map((f) => f.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(3000);
    expect(Math.max(...times)).toBeLessThan(590_000);
  });

  it('injects every kind over ten minutes, with parameters in their ranges', () => {
    const faults = faultSchedule(SEED, 600_000);
    const counts = countByKind(faults);
    for (const kind of FAULT_KINDS) expect(counts[kind], kind).toBeGreaterThan(0);
    for (const f of faults) {
      if (f.kind === 'latency') {
        expect(f.params['ms']).toBeGreaterThanOrEqual(100);
        expect(f.params['ms']).toBeLessThanOrEqual(2000);
      }
      if (f.kind === 'errorRate') {
        expect(f.params['rate']).toBeGreaterThan(0);
        expect(f.params['rate']).toBeLessThanOrEqual(0.6);
      }
      if (f.kind === 'kill') expect(f.params['pauseMs']).toBeLessThanOrEqual(3000);
      if (f.kind === 'lostResponse') expect(['hold', 'reset']).toContain(f.params['mode']);
    }
  });

  it('meets every kind within a one-minute soak, each once before any repeats', () => {
    const faults = faultSchedule(SEED, 60_000);
    const firstKinds = faults.slice(0, FAULT_KINDS.length).map((f) => f.kind);
    expect([...firstKinds].sort()).toEqual([...FAULT_KINDS].sort());
    // The tour's order is the seed's: another seed visits the kinds in another order.
    const other = faultSchedule(SEED + 1, 60_000)
      .slice(0, FAULT_KINDS.length)
      .map((f) => f.kind);
    expect(other).not.toEqual(firstKinds);
  });

  it('gives the new kinds parameters in their ranges', () => {
    for (const f of faultSchedule(SEED, 600_000)) {
      if (f.kind === 'clockSkew') {
        expect([-1500, 1500]).toContain(f.params['ms']);
        expect(f.forMs).toBeGreaterThanOrEqual(3000);
      }
      if (f.kind === 'reject') expect([-2019, -1008, -4131]).toContain(f.params['code']);
      if (f.kind === 'frozenFeed') {
        expect(['stream', 'market']).toContain(f.params['mode']);
        expect(f.forMs).toBeLessThanOrEqual(8000);
      }
      if (f.kind === 'storeFault') expect(f.forMs).toBeGreaterThanOrEqual(1000);
    }
  });

  it('spaces faults by the mean gap asked for', () => {
    const dense = faultSchedule(SEED, 600_000, { meanGapMs: 1000 }).length;
    const sparse = faultSchedule(SEED, 600_000, { meanGapMs: 10_000 }).length;
    expect(dense).toBeGreaterThan(sparse * 5);
  });

  it('gives Bybit the same soak in Bybit’s endpoints and refusal codes', () => {
    const binance = faultSchedule(SEED, 600_000);
    expect(faultSchedule(SEED, 600_000, { venue: 'binance' })).toEqual(binance);
    const bybit = faultSchedule(SEED, 600_000, { venue: 'bybit' });
    // The same times, kinds and durations: only the venue's own names differ.
    const shape = (f: (typeof binance)[number]) => ({
      ...f,
      params: { ...f.params, endpoint: 0, code: 0, msg: 0 },
    });
    expect(bybit.map(shape)).toEqual(binance.map(shape));
    const endpoints = new Set(
      bybit.filter((f) => f.kind === 'errorRate').map((f) => f.params['endpoint']),
    );
    expect([...endpoints].sort()).toEqual(
      [
        '*',
        'POST /v5/position/trading-stop',
        'POST /v5/order/create',
        '/v5/order/realtime',
        '/v5/position/list',
      ].sort(),
    );
    const codes = new Set(bybit.filter((f) => f.kind === 'reject').map((f) => f.params['code']));
    expect([...codes].sort()).toEqual([10016, 110003, 110007]);
    // Each slot keeps its role: where Binance refuses for margin, Bybit does too.
    const roles = new Map([
      [-2019, 110007],
      [-1008, 10016],
      [-4131, 110003],
    ]);
    bybit.forEach((f, i) => {
      if (f.kind === 'reject')
        expect(f.params['code']).toBe(roles.get(Number(binance[i]?.params['code'])));
    });
  });
});
