import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPaperConfig } from '../../src/cli/paperConfig.ts';
import { run } from '../../src/cli/main.ts';
import { openPositionStore } from '../../src/store/positionStore.ts';
import { PAPER_STATE_FILE } from '../../src/venues/emulator/index.ts';
import { ConfigError } from '../../src/config/ConfigError.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/paper.yaml');

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-paper-config-'));
  const path = join(dir, 'paper.yaml');
  writeFileSync(path, text);
  return path;
}

const POLICY = 'policy: { initialStop: { percent: 2 }, trailing: { percent: 1 } }\n';

describe('the paper config', () => {
  it('reads the example: three positions, long and short, each symbol with its own policy', async () => {
    const config = await loadPaperConfig(EXAMPLE);
    expect(config.positions).toEqual([
      { symbol: 'BTCUSDT', side: 'long', quantity: '0.010' },
      { symbol: 'ETHUSDT', side: 'short', quantity: '0.200' },
      { symbol: 'SOLUSDT', side: 'long', quantity: '5' },
    ]);
    expect(config).toMatchObject({ seed: 8, speed: 1, reopenAfterSeconds: 10 });
    expect(config.engine.policy.trailing).toEqual({ percent: '1.5' });
    expect(config.engine.policies['ETHUSDT']?.breakeven).toBeDefined();
    expect(config.engine.policies['ETHUSDT']?.trailing?.momentum).toBeDefined();
    expect(config.engine.policies['SOLUSDT']?.elastic).toBeDefined();
    expect(config.engine.dataDir).toBe(join(import.meta.dirname, '../../snapshots/paper'));
  });

  it('takes the seed, speed, symbols and data directory from the command line over the file', async () => {
    const config = await loadPaperConfig(EXAMPLE, {
      seed: 3,
      speed: 4,
      symbols: ['ETHUSDT'],
      dataDir: 'elsewhere',
    });
    expect(config.positions.map((p) => p.symbol)).toEqual(['ETHUSDT']);
    expect(config).toMatchObject({ seed: 3, speed: 4 });
    expect(config.engine.dataDir).toBe(join(process.cwd(), 'elsewhere'));
  });

  it('refuses bad input naming each key, its value and what is allowed', async () => {
    const path = file(
      [
        'venue: { exchange: binanceusdm }',
        'paper:',
        '  speed: 0',
        '  positions:',
        '    - { symbol: BTCUSDT, side: long, quantity: "0.0105" }',
        '    - { symbol: btc, side: up, quantity: 1 }',
        POLICY,
      ].join('\n'),
    );
    const error = await loadPaperConfig(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('venue: (a venue) is not used by a paper run');
    expect(message).toContain('paper.speed: 0 is not in (0, 100]');
    expect(message).toContain('paper.positions[0].quantity: "0.0105" is not a multiple of 0.001');
    expect(message).toContain('paper.positions[1].symbol: "btc" is not an exchange symbol id');
    expect(message).toContain('paper.positions[1].side: "up" is not one of long, short');
    expect(message).not.toMatch(/\n\s+at /);

    const twice = file(
      [
        'paper:',
        '  positions:',
        '    - { symbol: BTCUSDT, side: long, quantity: "0.010" }',
        '    - { symbol: BTCUSDT, side: short, quantity: "0.010" }',
        POLICY,
      ].join('\n'),
    );
    await expect(loadPaperConfig(twice)).rejects.toThrow(
      'paper.positions[1].symbol: "BTCUSDT" is already used by positions[0]',
    );
  });

  it('refuses a position the engine would leave unprotected, and an unknown --symbols entry', async () => {
    const path = file(
      [
        'paper: { positions: [{ symbol: ETHUSDT, side: long, quantity: "0.1" }] }',
        'symbols: [BTCUSDT]',
        POLICY,
      ].join('\n'),
    );
    await expect(loadPaperConfig(path)).rejects.toThrow(
      'paper.positions[0].symbol: ETHUSDT is not in symbols (BTCUSDT)',
    );
    await expect(loadPaperConfig(EXAMPLE, { symbols: ['XRPUSDT'] })).rejects.toThrow(
      '--symbols: XRPUSDT has no position in paper.positions',
    );
  });

  it('exits 2 with one paragraph on bad flags, and refuses a directory that is not a paper run’s', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), isTty: false };
    expect(await run(['paper', '--speed', 'fast'], io)).toBe(2);
    expect(await run(['paper', '--seed', '-1'], io)).toBe(2);
    const live = mkdtempSync(join(tmpdir(), 'ratchet-live-store-'));
    writeFileSync(join(live, 'CURRENT'), 'MANIFEST-000001\n');
    expect(await run(['paper', '--data-dir', live, '--fresh'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/holds files but no paper-exchange\.json/);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('never empties, with --fresh, a paper directory another run holds', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), isTty: false };
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-paper-held-'));
    const held = await openPositionStore(dir);
    writeFileSync(join(dir, PAPER_STATE_FILE), '{}');
    try {
      expect(await run(['paper', '--data-dir', dir, '--fresh'], io)).toBe(2);
      expect(err.join('\n')).toMatch(/is in use by|is already open/);
      expect(existsSync(join(dir, PAPER_STATE_FILE))).toBe(true);
    } finally {
      await held.close();
    }
  });
});
