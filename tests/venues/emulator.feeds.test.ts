import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CsvError, parseBinanceCsv, SyntheticGenerator } from '../../src/venues/emulator/index.ts';
import { symbolSpec } from '../../src/venues/emulator/markets.ts';
import { emulator } from './emulatorHarness.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const specs = [symbolSpec('BTCUSDT'), symbolSpec('ETHUSDT')];

function run(seed: number, steps: number): string[] {
  const gen = new SyntheticGenerator(seed, specs, 250, 0);
  const out: string[] = [];
  for (let i = 0; i < steps; i++)
    for (const t of gen.next())
      out.push(`${t.symbol}@${t.time}:${t.price.toString()}/${t.mark?.toString()}`);
  return out;
}

describe('synthetic feed', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = run(7, 500);
    expect(run(7, 500)).toEqual(a);
    expect(run(8, 500)).not.toEqual(a);
  });

  it('keeps every price on the tick grid and visits trends, ranges, spikes and gaps', () => {
    const gen = new SyntheticGenerator(3, specs, 250, 0);
    const regimes = new Set<string>();
    let maxJump = 0;
    let prev: number | undefined;
    for (let i = 0; i < 20_000; i++) {
      const [btc] = gen.next();
      regimes.add(gen.regime('BTCUSDT') ?? '');
      expect(btc!.price.mod('0.1').isZero()).toBe(true);
      const p = btc!.price.toNumber();
      if (prev !== undefined) maxJump = Math.max(maxJump, Math.abs(p / prev - 1));
      prev = p;
    }
    expect([...regimes].sort()).toEqual(['gap', 'range', 'spike', 'trend']);
    expect(maxJump).toBeGreaterThan(0.004); // gaps are single-tick jumps of ≥ 0.5 %
  });

  it('drives the emulator with the sequence of its seed', async () => {
    const em = await emulator({ feed: { kind: 'synthetic', seed: 5, ticksPerSecond: 20 } });
    const seen: string[] = [];
    await new Promise<void>((resolve) =>
      em.exchange.subscribe({
        trade: (t) => {
          if (t.symbol !== 'BTCUSDT') return;
          seen.push(t.price.toString());
          if (seen.length === 3) resolve();
        },
      }),
    );
    const replay = new SyntheticGenerator(5, specs, 50, 0);
    const expected = Array.from({ length: 3 }, () => replay.next()[0]!.price.toString());
    expect(seen.slice(0, 3)).toEqual(expected);
    expect(em.state().feed).toMatchObject({ kind: 'synthetic', ended: false });
  });
});

describe('no feed', () => {
  it('is the programmatic default: prices move only through setPrice or /admin/price', async () => {
    const em = await emulator({ feed: { kind: 'none' } });
    await em.feedEnded;
    expect(em.state().feed).toEqual({ kind: 'none', ticks: 0, ended: true });
    em.setPrice('BTCUSDT', '60001.0');
    expect(em.state()).toMatchObject({
      feed: { ticks: 0 },
      prices: { BTCUSDT: { last: '60001', mark: '60001' } },
    });
    expect(em.exchange.book('BTCUSDT').stats.count).toBe(1);
  });
});

describe('CSV replay of Binance public data', () => {
  it('parses klines into open, extremes and close inside each bar', () => {
    const { format, ticks } = parseBinanceCsv(
      readFileSync(fixture('BTCUSDT-1m-2024-01-01.csv'), 'utf8'),
      'BTCUSDT',
    );
    expect(format).toBe('klines');
    expect(ticks).toHaveLength(12);
    // a rising bar visits its low before its high; a falling one the reverse
    expect(ticks.slice(0, 4).map((t) => t.price.toString())).toEqual([
      '42314',
      '42300.1',
      '42335.8',
      '42330.5',
    ]);
    expect(ticks.slice(4, 8).map((t) => t.price.toString())).toEqual([
      '42330.5',
      '42340',
      '42280.2',
      '42290',
    ]);
    expect(ticks.map((t) => t.time).slice(0, 4)).toEqual([
      1704067200000, 1704067215000, 1704067230000, 1704067245000,
    ]);
  });

  it('parses headerless aggTrades with their buyer-maker flag', () => {
    const { format, ticks } = parseBinanceCsv(
      readFileSync(fixture('ETHUSDT-aggTrades-2024-01-01.csv'), 'utf8'),
      'ETHUSDT',
    );
    expect(format).toBe('aggTrades');
    expect(
      ticks.map((t) => [t.price.toString(), t.qty.toString(), t.time, t.isBuyerMaker])[2],
    ).toEqual(['2281.4', '2', 1704067200250, true]);
  });

  it('names the problem in a malformed file', () => {
    expect(() => parseBinanceCsv('a,b\n1,2\n', 'BTCUSDT', 'x.csv')).toThrow(CsvError);
    expect(() => parseBinanceCsv('1,2,3,4,5,6,7\n1,x,3,4,5,6,7\n', 'BTCUSDT', 'x.csv')).toThrow(
      /line 2: price "x"/,
    );
  });

  it('replays a kline file into the emulator at speed, ending on the last close', async () => {
    const em = await emulator({
      feed: { kind: 'csv', path: fixture('BTCUSDT-1m-2024-01-01.csv'), speed: 3000 },
    });
    expect(em.exchange.specs().map((s) => s.symbol)).toEqual(['BTCUSDT']);
    await em.feedEnded;
    expect(em.state().feed).toEqual({ kind: 'csv', ticks: 12, ended: true });
    const stats = em.exchange.book('BTCUSDT').stats;
    expect(stats.count).toBe(12);
    expect(stats.last?.toString()).toBe('42305.7');
    expect([stats.high?.toString(), stats.low?.toString()]).toEqual(['42340', '42250']);
  });

  it('replays aggTrades into the emulator', async () => {
    const em = await emulator({
      feed: { kind: 'csv', path: fixture('ETHUSDT-aggTrades-2024-01-01.csv'), speed: 100 },
    });
    await em.feedEnded;
    expect(em.exchange.book('ETHUSDT').stats.count).toBe(4);
    expect(em.exchange.book('ETHUSDT').last.toString()).toBe('2282');
  });
});
