import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runExchange, usage } from './exchangeCliRun.ts';

describe('ratchet exchange', () => {
  it('prints REST and WS URLs and the key pair, serves them, and stops cleanly', async () => {
    const { lines, em, stop } = await runExchange([
      '--port',
      '0',
      '--api-key',
      'k123',
      '--api-secret',
      's456',
      '--symbols',
      'btcusdt,SOLUSDT',
      '--seed',
      '9',
      '--history',
      '50',
    ]);
    const rest = /REST\s+(\S+)/.exec(lines.join('\n'))?.[1];
    expect(lines.join('\n')).toMatch(/WS\s+ws:\/\/127\.0\.0\.1:\d+\/ws/);
    expect(lines.join('\n')).toMatch(/API key\s+k123\n\s+secret\s+s456/);
    const info = (await (await fetch(`${rest}/fapi/v1/exchangeInfo`)).json()) as {
      symbols: Array<{ symbol: string }>;
    };
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'SOLUSDT']);
    expect(em.exchange.retention).toEqual({
      fills: 50,
      orders: 50,
      algoOrders: 50,
      protectionRecords: 50,
    });
    await stop();
    expect(lines.at(-1)).toMatch(/stopped/);
    await expect(fetch(`${rest}/fapi/v1/time`)).rejects.toThrow();
  });

  it('--feed none leaves prices still until POST /admin/price moves them', async () => {
    const { lines, em, stop } = await runExchange([
      '--port',
      '0',
      '--feed',
      'none',
      '--symbols',
      'BTCUSDT',
    ]);
    expect(lines.join('\n')).toMatch(/feed\s+none: prices move only through POST \/admin\/price/);
    const state = async (): Promise<{ feed: unknown; prices: unknown }> =>
      (await (await fetch(`${em.restUrl}/admin/state`)).json()) as {
        feed: unknown;
        prices: unknown;
      };
    expect((await state()).feed).toEqual({ kind: 'none', ticks: 0, ended: true });
    await fetch(`${em.restUrl}/admin/price`, {
      method: 'POST',
      body: JSON.stringify({ symbol: 'BTCUSDT', price: '61234.5' }),
    });
    expect(await state()).toMatchObject({
      feed: { kind: 'none', ticks: 0 },
      prices: { BTCUSDT: { last: '61234.5', mark: '61234.5' } },
    });
    expect(em.exchange.book('BTCUSDT').stats.count).toBe(1);
    await stop();
  });

  it.each([
    [['--host', '0.0.0.0'], /not a loopback address/],
    [['--api-key', 'k'], /go together/],
    [['--speed', '-2'], /--speed -2 is not valid/],
    [['--port', '70000'], /--port 70000/],
    [['--seed', 'abc'], /--seed abc/],
    [['--history', '-1'], /--history -1 is not valid/],
    [['--symbols', 'BTC,ETHUSDT'], /BTC is not a USDⓈ-M perpetual symbol/],
    [['--feed', 'no-such-file.csv'], /neither "synthetic", "none" nor a readable file/],
  ])('refuses %j with one readable paragraph', async (args, message) => {
    const text = await usage(args);
    expect(text).toMatch(message);
    expect(text).not.toMatch(/\n/);
  });

  it('runs as a process and exits 0 on SIGTERM', async () => {
    const script = fileURLToPath(new URL('./fixtures/runExchange.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += String(c);
        if (out.includes('Ctrl-C')) resolve();
      });
      void exited.then(() => reject(new Error(`exited early: ${out}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/stopped \(SIGTERM\)/);
  });
});
