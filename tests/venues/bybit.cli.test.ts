import { describe, expect, it } from 'vitest';
import { bybitClient } from './bybitHarness.ts';
import { runExchange, usage } from './exchangeCliRun.ts';

describe('ratchet exchange --venue bybit', () => {
  it('prints the v5 REST and WebSocket URLs, and ccxt bybit trades on them', async () => {
    const { lines, em, stop } = await runExchange([
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
    ]);
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
    await stop();
    expect(lines.at(-1)).toMatch(/stopped \(abort\)/);
  });

  it('refuses an unknown venue in one paragraph naming both that exist', async () => {
    expect(await usage(['--venue', 'kraken'])).toMatch(/^--venue kraken is not .*binance .*bybit/);
  });
});
