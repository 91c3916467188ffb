/**
 * A seeded pseudo-random source (mulberry32). The synthetic feed and the fault injector draw
 * from it so that a run is reproducible from `--seed`; Math.random would not be.
 */
export interface Random {
  /** Returns a float in [0, 1). */
  next(): number;
  /** Returns a standard normal deviate (Box–Muller). */
  normal(): number;
  /** Returns an integer in [min, max] inclusive. */
  int(min: number, max: number): number;
}

/** Returns a seeded generator; equal seeds give equal sequences. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      // 1 - u keeps log() away from zero.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
  };
}

/** Returns a 32-bit seed derived from a string, so each symbol gets its own stream. */
export function hashSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}
