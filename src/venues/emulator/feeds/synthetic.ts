import { Decimal } from 'decimal.js';
import { roundTo, type SymbolSpec } from '../markets.ts';
import { createRandom, hashSeed, type Random } from '../random.ts';
import type { FeedTick, PriceFeed } from './types.ts';

/** A market regime of the synthetic feed. */
export type Regime = 'trend' | 'range' | 'spike' | 'gap';

interface SymbolState {
  readonly spec: SymbolSpec;
  readonly random: Random;
  price: Decimal;
  mark: Decimal;
  regime: Regime;
  left: number;
  drift: number;
  anchor: Decimal;
}

/** Per-tick volatility (4 bp): several ticks a second give a BTC-like minute range. */
const SIGMA = 0.0004;
const MARK_SMOOTHING = new Decimal('0.3');

/**
 * A seeded random walk per symbol that switches between regimes: trends (drift plus noise),
 * ranges (mean reversion to an anchor), spikes (a fast 1–3 % excursion that reverts) and gaps
 * (a single-tick jump). Each symbol draws from its own stream derived from the seed, so the
 * sequence of a symbol depends only on the seed, never on timing or on the other symbols.
 */
export class SyntheticGenerator {
  private readonly states = new Map<string, SymbolState>();
  private step = 0;

  /** Returns a generator for `specs` starting at their start prices and at feed time `startTime`. */
  constructor(
    seed: number,
    specs: readonly SymbolSpec[],
    private readonly intervalMs: number,
    private readonly startTime = 0,
  ) {
    for (const spec of specs) {
      const random = createRandom(hashSeed(seed, spec.symbol));
      const price = new Decimal(spec.startPrice);
      this.states.set(spec.symbol, {
        spec,
        random,
        price,
        mark: price,
        regime: 'range',
        left: 0,
        drift: 0,
        anchor: price,
      });
    }
  }

  /** Returns the next tick of every symbol, in listing order. */
  next(): FeedTick[] {
    const time = this.startTime + this.step * this.intervalMs;
    this.step += 1;
    return [...this.states.values()].map((s) => this.advance(s, time));
  }

  /** Returns the current regime of `symbol`. */
  regime(symbol: string): Regime | undefined {
    return this.states.get(symbol)?.regime;
  }

  private advance(s: SymbolState, time: number): FeedTick {
    if (s.left <= 0) this.pickRegime(s);
    s.left -= 1;
    const r = s.random;
    let ret = r.normal() * SIGMA;
    switch (s.regime) {
      case 'trend':
        ret += s.drift;
        break;
      case 'range':
        ret += 0.05 * s.anchor.minus(s.price).div(s.price).toNumber();
        break;
      case 'spike':
        ret = s.drift + r.normal() * SIGMA * 0.5;
        break;
      case 'gap':
        ret = s.drift;
        break;
    }
    const factor = new Decimal(1).plus(new Decimal(ret.toFixed(10)));
    const floor = new Decimal(s.spec.tickSize);
    const next = roundTo(s.price.mul(factor), s.spec.tickSize);
    const prev = s.price;
    s.price = Decimal.max(next, floor);
    s.mark = roundTo(s.mark.plus(s.price.minus(s.mark).mul(MARK_SMOOTHING)), s.spec.tickSize);
    const lots = r.int(1, 50);
    return {
      symbol: s.spec.symbol,
      time,
      price: s.price,
      qty: new Decimal(s.spec.stepSize).mul(lots),
      mark: s.mark,
      isBuyerMaker: s.price.lt(prev),
    };
  }

  private pickRegime(s: SymbolState): void {
    const r = s.random;
    const u = r.next();
    const sign = r.next() < 0.5 ? -1 : 1;
    if (s.regime === 'spike') {
      // A spike reverts: range back toward where it started.
      s.regime = 'range';
      s.left = r.int(100, 400);
      return;
    }
    if (u < 0.4) {
      s.regime = 'trend';
      s.left = r.int(200, 800);
      s.drift = sign * (0.00005 + r.next() * 0.0002);
    } else if (u < 0.8) {
      s.regime = 'range';
      s.left = r.int(200, 800);
      s.anchor = s.price;
    } else if (u < 0.9) {
      s.regime = 'spike';
      s.left = r.int(3, 10);
      s.anchor = s.price;
      s.drift = (sign * (0.01 + r.next() * 0.02)) / s.left;
    } else {
      s.regime = 'gap';
      s.left = 1;
      s.drift = sign * (0.005 + r.next() * 0.015);
    }
  }
}

/** Returns a feed playing a SyntheticGenerator: `ticksPerSecond` per symbol, times `speed`. */
export function syntheticFeed(opts: {
  readonly seed: number;
  readonly specs: readonly SymbolSpec[];
  readonly ticksPerSecond?: number;
  readonly speed?: number;
  readonly startTime?: number;
}): PriceFeed {
  const interval = 1000 / (opts.ticksPerSecond ?? 4);
  const gen = new SyntheticGenerator(opts.seed, opts.specs, interval, opts.startTime ?? Date.now());
  let timer: NodeJS.Timeout | undefined;
  return {
    start(sink) {
      timer = setInterval(
        () => {
          for (const t of gen.next()) sink(t);
        },
        Math.max(1, interval / (opts.speed ?? 1)),
      );
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
