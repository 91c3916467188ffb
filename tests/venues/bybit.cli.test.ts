import { describe, expect, it } from 'vitest';
import { exchangeCommand } from '../../src/cli/exchange.ts';
import { UsageError } from '../../src/cli/usageError.ts';
import type { Emulator } from '../../src/venues/emulator/index.ts';
import { bybitClient } from './bybitHarness.ts';

function io(): {
  lines: string[];
  io: { out: (l: string) => void; err: (l: string) => void; isTty: boolean };
} {
  const lines: string[] = [];
  return { lines, io: { out: (l) => lines.push(l), err: (l) => lines.push(l), isTty: false } };
}

describe('ratchet exchange --venue bybit', () => {
  it('prints the v5 REST and WebSocket URLs, and ccxt bybit trades on them', async () => {
    const { lines, io: cliIo } = io();
    const stop = new AbortController();
    let onReady: (em: Emulator) => void = () => undefined;
    const ready = new Promise<Emulator>((resolve) => (onReady = resolve));
    const done = exchangeCommand(cliIo, { signal: stop.signal, onReady })
      .exitOverride()
      .parseAsync(
        [
          '--venue',
          'bybit',
          '--port',
          '0',
          '--feed',
          'none',
          '--api-key',
          'k123',
          '--api-secret',
          's456',
          '--symbols',
          'BTCUSDT',
        ],
        { from: 'user' },
      );
    const em = await ready;
    const text = lines.join('\n');
    expect(text).toContain('Bybit v5 linear compatible');
    const rest = /REST\s+(\S+)\s+\(endpoints under \/v5\)/.exec(text)?.[1];
    const pub = /WS\s+(ws:\/\/\S+)\/v5\/public\/linear/.exec(text)?.[1];
    expect(text).toMatch(/ws:\/\/127\.0\.0\.1:\d+\/v5\/private/);
    expect([rest, pub]).toEqual([em.restUrl, em.bybitWsUrl]);
    const ex = await bybitClient({ ...em, restUrl: rest as string });
    await ex.loadMarkets();
    em.openPosition('BTCUSDT', 'long', '0.002');
    expect((await ex.fetchPositions()).map((p) => [p.symbol, p.contracts])).toEqual([
      ['BTC/USDT:USDT', 0.002],
    ]);
    expect(em.state().feed).toMatchObject({ kind: 'none' });
    stop.abort();
    await done;
    expect(lines.at(-1)).toMatch(/stopped \(abort\)/);
  });

  it('refuses an unknown venue in one paragraph naming both that exist', async () => {
    const { io: cliIo } = io();
    const err = await exchangeCommand(cliIo)
      .exitOverride()
      .parseAsync(['--venue', 'kraken'], { from: 'user' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^--venue kraken is not .*binance .*bybit/);
  });
});
