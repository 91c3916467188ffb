import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createEngineLoggers,
  type ConsoleStream,
} from '../../src/telemetry/createEngineLoggers.ts';
import { pruneLogFiles } from '../../src/telemetry/pruneLogFiles.ts';

const root = mkdtempSync(join(tmpdir(), 'ratchet-logs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

function consoleSink(isTTY = false): ConsoleStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

/** Every regular file under `dir` (symlinks are read through by readFileSync, so they count too). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name));
}

const API_KEY = 'AKxq7Rr2mUqfP0e9ZtB4kJ1wVhS8nC3yL6gD5aTiOoEuM';
const SECRET = 'sk/9+Zq"w\\Tz0pL-secret-value';
const BOT_TOKEN = '123456789:AAH-botTokenSecretPart_xyz';
const LISTEN_KEY = 'lkXy12Vb98listenKeyValueQwerty';
const SIGNATURE = 'c0ffee1234567890deadbeefcafebabe';

describe('createEngineLoggers', () => {
  it('writes no secret to any file or to the console, whatever carries it', async () => {
    const dir = freshDir();
    const out = consoleSink();
    const logs = createEngineLoggers({ dir, console: out, secrets: [API_KEY, SECRET, BOT_TOKEN] });
    logs.scrub.add(LISTEN_KEY);
    const btc = logs.forSymbol('BTCUSDT');
    // By key path, at the top and nested.
    logs.root.info({ apiKey: API_KEY, venue: { secret: SECRET, apiKey: API_KEY } }, 'venue ready');
    logs.root.warn({ request: { headers: { 'X-MBX-APIKEY': API_KEY } } }, 'request sent');
    btc.debug({ params: { signature: SIGNATURE, listenKey: LISTEN_KEY } }, 'signed call');
    // In messages and error texts, where no path can reach them.
    logs.root.error(
      { err: new Error(`GET /fapi/v1/order?symbol=BTCUSDT&signature=${SIGNATURE} failed`) },
      `venue refused key ${API_KEY}`,
    );
    btc.info(`user stream wss://fstream.binance.com/ws/${LISTEN_KEY} opened`);
    btc.warn({ url: `https://api.telegram.org/bot${BOT_TOKEN}/sendMessage` }, 'alert failed');
    logs.root.info(
      { note: JSON.stringify({ secret: SECRET }) },
      `encoded ${encodeURIComponent(SECRET)}`,
    );
    logs
      .forSymbol('ETHUSDT')
      .info({ token: 'inspector-token-1' }, 'with a bearer: Bearer abcdefgh123');
    await logs.close();

    const files = filesUnder(dir);
    expect(files.some((f) => f.includes(join('symbols', 'BTCUSDT')))).toBe(true);
    expect(files.some((f) => f.includes(join('ratchet', 'ratchet.')))).toBe(true);
    const written = files.map((f) => readFileSync(f, 'utf8')).join('\n') + out.text();
    // The lines themselves are there, only their secrets are not.
    expect(written).toContain('venue ready');
    expect(written).toContain('signed call');
    expect(written).toContain('alert failed');
    for (const secret of [API_KEY, SECRET, BOT_TOKEN, LISTEN_KEY, SIGNATURE, 'abcdefgh123']) {
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])
        expect(written).not.toContain(form);
    }
    expect(written).not.toContain('inspector-token-1');
  });

  it('puts a symbol’s debug lines in its own file and its info lines in the root log', async () => {
    const dir = freshDir();
    const out = consoleSink();
    const logs = createEngineLoggers({ dir, console: out });
    const btc = logs.forSymbol('BTCUSDT');
    btc.debug('tick 1 considered');
    btc.info('stop moved');
    logs.root.debug('engine detail');
    logs.root.info('engine started');
    await logs.close();

    const read = (sub: string) =>
      filesUnder(join(dir, sub))
        .filter((f) => !f.endsWith('current.log'))
        .map((f) => readFileSync(f, 'utf8'))
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; symbol?: string });
    const symbolLines = read(join('symbols', 'BTCUSDT'));
    expect(symbolLines.map((l) => l.msg)).toEqual(['tick 1 considered', 'stop moved']);
    expect(symbolLines.every((l) => l.symbol === 'BTCUSDT')).toBe(true);
    expect(read('ratchet').map((l) => l.msg)).toEqual(['stop moved', 'engine started']);
    expect(out.text().trim().split('\n')).toHaveLength(2);
  });

  it('rolls a file over when it reaches its size', async () => {
    const dir = freshDir();
    // 0.002 MB: about 2 KB per file; each round writes about 1 KB.
    const logs = createEngineLoggers({ dir, console: consoleSink(), maxSizeMB: 0.002 });
    const btc = logs.forSymbol('BTCUSDT');
    for (let round = 0; round < 10; round += 1) {
      for (let i = 0; i < 10; i += 1) btc.debug({ round, i }, 'a line to fill a small file');
      await logs.flush();
    }
    await logs.close();
    const folder = join(dir, 'symbols', 'BTCUSDT');
    const rolled = readdirSync(folder).filter((f) => /\.\d+\.log$/.test(f));
    expect(rolled.length).toBeGreaterThan(2);
    const lines = rolled
      .map((f) => readFileSync(join(folder, f), 'utf8'))
      .join('')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(100);
  });

  it('keeps at most maxOpenFiles symbol files open and appends when one is reopened', async () => {
    const dir = freshDir();
    const logs = createEngineLoggers({ dir, console: consoleSink(), maxOpenFiles: 2 });
    const [a, b, c] = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'].map((s) => logs.forSymbol(s));
    a?.debug('a first');
    b?.debug('b first');
    c?.debug('c first');
    a?.debug('a again');
    await logs.close();
    const text = (s: string) =>
      filesUnder(join(dir, 'symbols', s))
        .filter((f) => !f.endsWith('current.log'))
        .map((f) => readFileSync(f, 'utf8'))
        .join('');
    expect(text('AAAUSDT')).toContain('a first');
    expect(text('AAAUSDT')).toContain('a again');
    expect(text('CCCUSDT')).toContain('c first');
  });

  it('prints pretty lines on a terminal and JSON lines elsewhere', async () => {
    const tty = consoleSink(true);
    const pipe = consoleSink(false);
    const onTty = createEngineLoggers({ console: tty });
    const onPipe = createEngineLoggers({ console: pipe });
    onTty.root.info({ symbol: 'BTCUSDT' }, 'stop moved');
    onPipe.root.info({ symbol: 'BTCUSDT' }, 'stop moved');
    await Promise.all([onTty.close(), onPipe.close()]);
    expect(tty.text()).toContain('stop moved');
    expect(() => JSON.parse(tty.text()) as unknown).toThrow();
    expect(JSON.parse(pipe.text())).toMatchObject({ msg: 'stop moved', symbol: 'BTCUSDT' });
  });
});

describe('pruneLogFiles', () => {
  const DAY = 86_400_000;
  const NOW = Date.UTC(2030, 0, 31);

  it('deletes rolled files older than the age, sparing recent, current and foreign files', async () => {
    const dir = freshDir();
    const folder = join(dir, 'symbols', 'BTCUSDT');
    mkdirSync(folder, { recursive: true });
    const file = (name: string, ageDays: number) => {
      const path = join(folder, name);
      writeFileSync(path, '{}\n');
      const t = (NOW - ageDays * DAY) / 1000;
      utimesSync(path, t, t);
      return path;
    };
    // name, age in days, expected to survive
    const rows: [string, number, boolean][] = [
      ['BTCUSDT.2030-01-01.1.log', 30, false], // old rolled file
      ['BTCUSDT.2030-01-16.3.log', 15, false], // just past 14 days
      ['BTCUSDT.2030-01-18.4.log', 13, true], // within 14 days
      ['notes.txt', 30, true], // not a log this engine rolls
      ['BTCUSDT.2030-01-02.2.log', 29, true], // the file being written (kept below)
    ];
    const paths = rows.map(([name, age]) => file(name, age));
    const deleted = await pruneLogFiles(dir, {
      maxAgeMs: 14 * DAY,
      now: NOW,
      keep: new Set([paths[4] as string]),
    });
    expect(deleted).toBe(2);
    const left = new Set(readdirSync(folder));
    for (const [name, , survives] of rows) expect([name, left.has(name)]).toEqual([name, survives]);
  });

  it('counts a missing directory as empty', async () => {
    expect(await pruneLogFiles(join(root, 'nowhere'), { maxAgeMs: DAY, now: NOW })).toBe(0);
  });
});
