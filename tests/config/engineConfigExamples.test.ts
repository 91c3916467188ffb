import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngineConfig } from '../../src/config/index.ts';
import { configErrorOfAsync } from './helpers.ts';

const examples = resolve(import.meta.dirname, '..', '..', 'examples', 'engine');
const snapshots = resolve(import.meta.dirname, '..', '..', 'snapshots');
const ENV = { RATCHET_API_KEY: 'example-key', RATCHET_API_SECRET: 'example-secret' };

describe('the example engine configs', () => {
  it('are the two the docs name, and no other', () => {
    expect(readdirSync(examples).sort()).toEqual(['binance-testnet.yaml', 'emulator.yaml']);
  });

  it('emulator.yaml points at the local emulator with keys from the environment', async () => {
    const config = await loadEngineConfig(join(examples, 'emulator.yaml'), ENV);
    expect(config.venue).toEqual({
      exchange: 'binanceusdm',
      url: 'http://127.0.0.1:8787',
      sandbox: false,
      apiKey: 'example-key',
      secret: 'example-secret',
    });
    expect(config.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(Object.keys(config.policies)).toEqual(['ETHUSDT']);
    expect(config.dataDir).toBe(join(snapshots, 'emulator'));
    expect(config.inspector).toEqual({ port: 7357, host: '127.0.0.1', token: undefined });
  });

  it('binance-testnet.yaml uses the sandbox and the default protection', async () => {
    const config = await loadEngineConfig(join(examples, 'binance-testnet.yaml'), ENV);
    expect(config.venue).toEqual({
      exchange: 'binanceusdm',
      url: undefined,
      sandbox: true,
      apiKey: 'example-key',
      secret: 'example-secret',
    });
    expect(config.protection).toEqual({
      minIntervalSeconds: 60,
      minImprovementPercent: '0.1',
      emergencyPercent: '1',
      workingType: 'MARK_PRICE',
    });
    expect(config.policies.ETHUSDT?.trailing?.tiers).toEqual([
      { fromProfitPercent: '3', percent: '1' },
    ]);
    expect(config.dataDir).toBe(join(snapshots, 'binance-testnet'));
  });

  it.each(['emulator.yaml', 'binance-testnet.yaml'])(
    '%s names the variable it needs when the environment lacks it',
    async (name) => {
      const error = await configErrorOfAsync(() =>
        loadEngineConfig(join(examples, name), { RATCHET_API_KEY: 'k' }),
      );
      expect(error.issues.map((i) => i.path)).toEqual(['venue.secret']);
      expect(error.message).toContain('RATCHET_API_SECRET, which is not set');
    },
  );
});
