import { afterEach, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray, type Subscription } from 'rxjs';
import { createActor } from 'xstate';
import { feedPosition } from '../../src/streams/positionFeed.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { ccxtWatchSource } from '../../src/streams/ccxtWatchSource.ts';
import { FallbackSource, type SourceSwitch } from '../../src/streams/fallbackSource.ts';
import { restPollingSource } from '../../src/streams/restPollingSource.ts';
import { validatedSource } from '../../src/streams/validateTicks.ts';
import {
  createCcxtClient,
  startEmulator,
  type BinanceUsdm,
  type Emulator,
} from '../../src/venues/emulator/index.ts';

const SYMBOL = 'BTC/USDT:USDT';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function exchange(): Promise<{
  emu: Emulator;
  client: BinanceUsdm;
  wiggle: (around: number) => void;
}> {
  const emu = await startEmulator({ symbols: ['BTCUSDT'], startPrices: { BTCUSDT: '65000' } });
  const client = await createCcxtClient(emu);
  await client.loadMarkets();
  let timer: NodeJS.Timeout | undefined;
  cleanups.push(async () => {
    clearInterval(timer);
    await client.close();
    await emu.close();
  });
  let i = 0;
  // Trades every 50 ms around a level, so the WebSocket always has something to say.
  const wiggle = (around: number) => {
    clearInterval(timer);
    timer = setInterval(() => emu.setPrice('BTCUSDT', (around + (i++ % 5) * 0.1).toFixed(1)), 50);
  };
  wiggle(65000);
  return { emu, client, wiggle };
}

const until = async (what: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('price streams against the exchange emulator, through real ccxt', () => {
  it('brings prices over the WebSocket (watchTrades)', async () => {
    const { client } = await exchange();
    const ticks = await firstValueFrom(
      ccxtWatchSource(client, { watch: 'trades' }).ticks(SYMBOL).pipe(take(3), toArray()),
    );
    expect(ticks).toHaveLength(3);
    for (const t of ticks) {
      expect(t.symbol).toBe(SYMBOL);
      expect(Number(t.price)).toBeGreaterThanOrEqual(65000);
      expect(Number(t.price)).toBeLessThan(65001);
    }
  });

  it('falls back to REST within maxPriceAgeMs when the WebSocket drops, and returns after the reconnect', async () => {
    const { emu, client } = await exchange();
    const maxPriceAgeMs = 1000;
    const fallback = new FallbackSource(
      ccxtWatchSource(client, { watch: 'trades' }),
      restPollingSource(client, { intervalMs: 200 }),
      {
        maxPriceAgeMs,
        backoff: { initialMs: 300, maxMs: 2000, factor: 2 },
      },
    );
    const switches: (SourceSwitch & { at: number })[] = [];
    const kinds: string[] = [];
    const subs: Subscription[] = [
      fallback.switches$.subscribe((s) => switches.push({ ...s, at: Date.now() })),
      fallback.ticks(SYMBOL).subscribe(() => kinds.push(fallback.mode(SYMBOL) ?? '?')),
    ];
    cleanups.push(() => subs.forEach((s) => s.unsubscribe()));
    await until(() => kinds.length > 3, 5000);
    expect(fallback.mode(SYMBOL)).toBe('websocket');
    const dropped = Date.now();
    emu.injectFaults({ wsDisconnect: true });
    await until(() => switches.some((s) => s.to === 'rest'), 5000);
    const toRest = switches.find((s) => s.to === 'rest');
    expect(toRest!.at - dropped).toBeLessThanOrEqual(maxPriceAgeMs + 250);
    const pricesWhilePolling = kinds.length;
    await until(() => switches.some((s) => s.to === 'websocket'), 10_000);
    expect(kinds.length).toBeGreaterThan(pricesWhilePolling);
    expect(fallback.switchCount(SYMBOL)).toBeGreaterThanOrEqual(2);
  });

  it('delivers a price jump across the stop on the crossing tick, without waiting for the lane window', async () => {
    const { emu, client } = await exchange();
    const source = validatedSource(ccxtWatchSource(client, { watch: 'trades' }));
    const delays: number[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const actor = createActor(positionMachine, {
        input: {
          market: { tickSize: '0.1' },
          position: { side: 'long', entryPrice: '65000', quantity: '0.01', openedAt: 0 },
          policy: { initialStop: { percent: '2' } },
        },
      }).start();
      // Start fast so the first prices arrive quickly, then wait for the downgrade: the jump
      // must find the position on its slow (3 s) lane.
      let lane = 'fast';
      const feed = feedPosition(actor, source, SYMBOL, {
        fastMs: 100,
        normalMs: 3000,
        fastWhenProfit: { percent: '5' },
        downgradeAfterCycles: 3,
        initialLane: 'fast',
        onLaneChange: (change) => (lane = change.to),
      });
      cleanups.push(() => feed.unsubscribe());
      await until(() => actor.getSnapshot().context.lastPrice !== null && lane === 'normal', 5000);
      const jumped = Date.now();
      emu.setPrice('BTCUSDT', '63000');
      await until(() => actor.getSnapshot().status === 'done', 2500);
      delays.push(Date.now() - jumped);
      const exit = actor.getSnapshot().context.exit;
      expect(exit?.price).toBe('63000');
      expect(exit?.reason).toBe('initial');
      feed.unsubscribe();
    }
    // The normal lane is 3 s: a crossing tick that waited for its window would take that long.
    expect(Math.max(...delays)).toBeLessThan(1000);
    console.log(`stop-crossing delay, emulator price → actor exit: ${delays.join(', ')} ms`);
  });
});
