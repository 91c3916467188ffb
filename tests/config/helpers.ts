import { ConfigError } from '../../src/config/index.ts';

/** A valid long scenario that uses every policy block, so each row can break one key. */
export function baseScenario(): Record<string, unknown> {
  return {
    market: { tickSize: '0.01' },
    position: { side: 'long', entryPrice: '100', quantity: '2', openedAt: 0 },
    policy: {
      initialStop: { percent: 2 },
      activation: { profitPercent: 0.5 },
      trailing: {
        percent: 1,
        tiers: [{ fromProfitPercent: 1, percent: 0.5 }],
        momentum: { windowSeconds: 30, thresholdPercent: 0.6, releasePercent: 0.2, factor: 0.5 },
      },
      breakeven: { triggerPercent: 0.8, offsetPercent: 0.1 },
      elastic: {
        unit: 'quote',
        engageAt: 0.1,
        pullback: 0.4,
        floor: 0,
        minStep: 0.1,
        bigJump: { threshold: 0.4, windowSeconds: 5, margin: 0.1 },
        peakLock: { trigger: 1, lock: 0.8 },
      },
    },
    ticks: [[1000, '100.5']],
  };
}

/** Returns a copy of `doc` with the dotted `path` set to `value` (deleted when value is undefined). */
export function withChange(doc: unknown, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Returns the ConfigError thrown by `fn`, failing the test when it returns or throws anything else. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** Async form of {@link configErrorOf}. */
export async function configErrorOfAsync(fn: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
