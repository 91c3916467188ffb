import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RollingFiles, safeFileName } from '../../src/telemetry/rollingFiles.ts';

const root = mkdtempSync(join(tmpdir(), 'ratchet-rolling-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('RollingFiles', () => {
  it('never holds more than maxOpen logs open, and loses no line to closing one', async () => {
    const dir = join(root, 'bounded');
    const errors: string[] = [];
    const files = new RollingFiles(dir, {
      maxSizeMB: 10,
      maxFiles: 2,
      maxOpen: 3,
      onError: (name, e) => errors.push(`${name}: ${e.message}`),
    });
    const names = Array.from({ length: 40 }, (_, i) => `SYM${i % 10}`);
    for (const [i, name] of names.entries()) {
      files.write(name, `${JSON.stringify({ i })}\n`);
      expect(files.openCount).toBeLessThanOrEqual(3);
    }
    await files.close();
    expect(errors).toEqual([]);
    const seen = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.log'))
      .flatMap((e) => readFileSync(join(e.parentPath, e.name), 'utf8').trim().split('\n'))
      .map((l) => (JSON.parse(l) as { i: number }).i)
      .sort((a, b) => a - b);
    expect(seen).toEqual(names.map((_, i) => i));
  });

  it('drops lines written after close instead of reopening a file', async () => {
    const dir = join(root, 'closed');
    const files = new RollingFiles(dir, {
      maxSizeMB: 1,
      maxFiles: 1,
      maxOpen: 1,
      onError: () => {},
    });
    await files.close();
    files.write('late', 'x\n');
    expect(files.openCount).toBe(0);
  });

  it('makes file names of symbols, whatever their characters', () => {
    // symbol, file name
    const rows: [string, string][] = [
      ['BTCUSDT', 'BTCUSDT'], // an exchange id as is
      ['BTC/USDT:USDT', 'BTC_USDT_USDT'], // a unified symbol: no folders, no colon
      ['../../etc', '______etc'], // no way out of the log directory
      ['', '_'], // never an empty name
    ];
    for (const [symbol, name] of rows)
      expect([symbol, safeFileName(symbol)]).toEqual([symbol, name]);
  });
});
