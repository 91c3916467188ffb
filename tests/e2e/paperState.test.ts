import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCcxtClient,
  PAPER_STATE_FILE,
  PaperStateError,
  readPaperState,
  startEmulator,
  writePaperState,
  type BinanceUsdm,
  type Emulator,
} from '../../src/venues/emulator/index.ts';

const opened: { em?: Emulator; client?: BinanceUsdm }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.client?.close();
    await o.em?.close();
  }
});

async function exchangeWithStop(): Promise<{ em: Emulator; client: BinanceUsdm }> {
  const em = await startEmulator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  const client = await createCcxtClient(em);
  opened.push({ em, client });
  await client.loadMarkets();
  em.setPrice('BTCUSDT', '61000.0');
  em.setPrice('ETHUSDT', '2950.00');
  em.openPosition('BTCUSDT', 'long', '0.010');
  em.openPosition('ETHUSDT', 'short', '0.200');
  await client.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, {
    stopLossPrice: 60000,
    reduceOnly: true,
    clientAlgoId: 'paper-btc-s1',
  });
  return { em, client };
}

describe('the paper exchange state', () => {
  it('comes back with the same prices, positions and resting stops, and never reuses an id', async () => {
    const first = await exchangeWithStop();
    const saved = first.em.exchange.saveState();
    const before = first.em.state();

    const em = await startEmulator({ symbols: ['BTCUSDT', 'ETHUSDT'], restore: saved });
    const client = await createCcxtClient(em);
    opened.push({ em, client });
    const after = em.state();
    expect(after.prices).toEqual(before.prices);
    expect(after.positions.map((p) => [p.symbol, p.amount, p.entryPrice, p.openedAt])).toEqual(
      before.positions.map((p) => [p.symbol, p.amount, p.entryPrice, p.openedAt]),
    );
    expect(after.openOrders).toEqual(before.openOrders);
    expect(after.positions.find((p) => p.symbol === 'BTCUSDT')?.isProtected).toBe(true);

    // The restored stop is a real resting order: ccxt finds it and it still fires.
    await client.loadMarkets();
    const open = await client.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, {
      trigger: true,
    });
    expect(open.map((o) => o.clientOrderId)).toEqual(['paper-btc-s1']);
    const next = await client.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.2, undefined, {
      stopLossPrice: 3000,
      reduceOnly: true,
    });
    expect(Number(next.id)).toBeGreaterThan(Number(open[0]?.id));
    em.setPrice('BTCUSDT', '59990.0');
    expect(em.state().positions.map((p) => p.symbol)).toEqual(['ETHUSDT']);
  });

  it('is written atomically to the data directory and read back exactly', async () => {
    const { em } = await exchangeWithStop();
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-paper-state-'));
    expect(readPaperState(dir)).toBeUndefined();
    const state = {
      version: 1 as const,
      savedAt: 1_700_000_000_000,
      feed: { seed: 7, runs: 2 },
      exchange: em.exchange.saveState(),
    };
    writePaperState(dir, state);
    expect(readPaperState(dir)).toEqual(state);
  });

  it('refuses a file that is not a paper state, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-paper-state-'));
    writeFileSync(join(dir, PAPER_STATE_FILE), '{"version":1,"savedAt":0}');
    expect(() => readPaperState(dir)).toThrow(PaperStateError);
    expect(() => readPaperState(dir)).toThrow(PAPER_STATE_FILE);
    writeFileSync(join(dir, PAPER_STATE_FILE), 'not json');
    expect(() => readPaperState(dir)).toThrow(/is not JSON/);
  });
});
