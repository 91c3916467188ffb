import type { Market, Policy, PositionSpec, Scenario, Tick } from '../src/domain/types.ts';

/**
 * The benchmark's price path and the position it is replayed against. Everything is generated
 * from a seed so two runs (and two machines) measure the same ticks; prices are built from
 * integer ticks so every price string is an exact decimal, never a printed float.
 */

/** Returns a seeded PRNG (mulberry32) yielding floats in [0, 1): small, fast and reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tick size of the bench market: prices are integer counts of cents. */
export const TICK_SIZE = '0.01';

/** The bench market. */
export const BENCH_MARKET: Market = { tickSize: TICK_SIZE };

/** The bench position: a long opened at 100.00 at ts 0. */
export const BENCH_POSITION: PositionSpec = {
  side: 'long',
  entryPrice: '100',
  quantity: '2',
  openedAt: 0,
};

/**
 * A policy with every rule family enabled (activation, tiers, momentum, breakeven, SETE with
 * big jump and peak lock). Distances are wide enough that the path's bounded noise (at most
 * 0.8 % from peak to trough) never reaches the tightest trailing distance (2 % × 0.6 = 1.2 %),
 * and every profit lock stays more than 0.8 % under the price it is taken at (SETE engages at
 * 1.5 % keeping a tenth, peak lock holds 0.5 %, a big jump locks 0.9 % under the price), so no
 * stage ends early on an exit while every rule still runs on every tick.
 */
export const BENCH_POLICY: Policy = {
  initialStop: { percent: '5' },
  activation: { profitPercent: '0.5' },
  trailing: {
    percent: '3',
    tiers: [
      { fromProfitPercent: '5', percent: '2.5' },
      { fromProfitPercent: '20', percent: '2' },
    ],
    momentum: {
      windowSeconds: '2',
      thresholdPercent: '0.2',
      releasePercent: '0.05',
      factor: '0.6',
    },
  },
  breakeven: { triggerPercent: '1', offsetPercent: '0.1' },
  elastic: {
    unit: 'percent',
    engageAt: '1.5',
    pullback: '0.9',
    floor: '0',
    minStep: '0.05',
    bigJump: { threshold: '1', windowSeconds: '3', margin: '0.9' },
    peakLock: { trigger: '2', lock: '0.5' },
  },
};

/** Milliseconds between two ticks of the path. */
export const TICK_MS = 100;

/** The default seed: any fixed number works; this one is the bench's. */
export const SEED = 20240601;

/** Returns `cents` as exact decimal text with two places, e.g. 10005 → "100.05". */
export function centsText(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** A generated path in the two shapes the stages need. */
export interface BenchPath {
  /** Ticks as the engine receives them: ts and an exact decimal price string. */
  readonly ticks: Tick[];
  /** The same prices in cents (integers), for the float baseline and for checks. */
  readonly cents: Int32Array;
}

/**
 * Returns `length` ticks: an upward trend of one cent every 40 ticks (so activation, tiers,
 * breakeven, SETE engagement and peak lock are all reached) plus a bounded random walk of
 * ±4 cents a step kept within ±40 cents of the trend (so momentum accelerates and releases).
 */
export function generatePath(length: number, seed = SEED): BenchPath {
  const random = mulberry32(seed);
  const ticks: Tick[] = new Array<Tick>(length);
  const cents = new Int32Array(length);
  let noise = 0;
  for (let i = 0; i < length; i++) {
    noise += Math.floor(random() * 9) - 4;
    if (noise > 40) noise = 40;
    if (noise < -40) noise = -40;
    const c = 10000 + Math.floor(i / 40) + noise;
    cents[i] = c;
    ticks[i] = { ts: (i + 1) * TICK_MS, price: centsText(c) };
  }
  return { ticks, cents };
}

/**
 * Returns `length` ticks of the worst path for the statechart: every tick a new extreme, one
 * cent above the last, so each one renews the trailing candidate and moves the stop (and the
 * SETE lock whenever its pullback target clears minStep).
 */
export function generateWorstPath(length: number): BenchPath {
  const ticks: Tick[] = new Array<Tick>(length);
  const cents = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const c = 10001 + i;
    cents[i] = c;
    ticks[i] = { ts: (i + 1) * TICK_MS, price: centsText(c) };
  }
  return { ticks, cents };
}

/** Returns the scenario of the bench position, policy and `ticks`. */
export function benchScenario(ticks: Tick[]): Scenario {
  return { market: BENCH_MARKET, position: BENCH_POSITION, policy: BENCH_POLICY, ticks };
}
