import { afterEach, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, take, toArray, type Subscription } from 'rxjs';
import { createActor } from 'xstate';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { ccxtWatchSource } from '../../src/streams/ccxtWatchSource.ts';
import { FallbackSource } from '../../src/streams/fallbackSource.ts';
import { feedPosition } from '../../src/streams/positionFeed.ts';
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

async function exchange(): Promise<{ emu: Emulator; client: BinanceUsdm }> {
  const emu = await startEmulator({ symbols: ['BTCUSDT'], startPrices: { BTCUSDT: '65000' } });
  const client = await createCcxtClient(emu);
  await client.loadMarkets();
  let i = 0;
  // The market trades every 50 ms around 65000, so the WebSocket always has something to say.
  const market = setInterval(
    () => emu.setPrice('BTCUSDT', (65000 + (i++ % 5) * 0.1).toFixed(1)),
    50,
  );
  cleanups.push(async () => {
    clearInterval(market);
    await client.close();
    await emu.close();
  });
  return { emu, client };
}

/** Resolves the first time `predicate` holds, checked on every change `subscribe` reports. */
function when(subscribe: (check: () => void) => void, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (predicate()) resolve();
    };
    subscribe(check);
    check();
  });
}

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

  it('falls back to REST when the WebSocket drops, polls, and returns after the reconnect', async () => {
    const { emu, client } = await exchange();
    const fallback = new FallbackSource(
      ccxtWatchSource(client, { watch: 'trades' }),
      restPollingSource(client, { intervalMs: 200 }),
      { maxPriceAgeMs: 1000, backoff: { initialMs: 300, maxMs: 2000, factor: 2 } },
    );
    const ticks = fallback.ticks(SYMBOL);
    const subs: Subscription[] = [ticks.subscribe()];
    cleanups.push(() => subs.forEach((s) => s.unsubscribe()));
    await firstValueFrom(ticks.pipe(take(4), toArray()));
    expect(fallback.mode(SYMBOL)).toBe('websocket');

    // Each awaited below happens after the drop; all are listened for before it.
    const toRest = firstValueFrom(fallback.switches$.pipe(filter((s) => s.to === 'rest')));
    const polled = firstValueFrom(ticks.pipe(filter(() => fallback.mode(SYMBOL) === 'rest')));
    const back = firstValueFrom(fallback.switches$.pipe(filter((s) => s.to === 'websocket')));
    emu.injectFaults({ wsDisconnect: true });
    expect(await toRest).toMatchObject({ symbol: SYMBOL, from: 'websocket' });
    await polled;
    expect(await back).toMatchObject({ symbol: SYMBOL, from: 'rest', reason: 'recovered' });
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
      // must find the position on its normal lane, whose window (an hour) this test could never
      // wait out: the exit can only come from the crossing tick delivered at once.
      let lane = 'fast';
      const changes: (() => void)[] = [];
      const feed = feedPosition(actor, source, SYMBOL, {
        fastMs: 100,
        normalMs: 3_600_000,
        fastWhenProfit: { percent: '5' },
        downgradeAfterCycles: 3,
        initialLane: 'fast',
        onLaneChange: (change) => {
          lane = change.to;
          changes.forEach((check) => check());
        },
        onError: (error) => {
          throw error;
        },
      });
      cleanups.push(() => feed.unsubscribe());
      await when(
        (check) => changes.push(check),
        () => lane === 'normal',
      );
      expect(actor.getSnapshot().context.last).not.toBeNull();
      const exited = when(
        (check) => actor.subscribe(check),
        () => actor.getSnapshot().status === 'done',
      );
      const jumped = performance.now();
      emu.setPrice('BTCUSDT', '63000');
      await exited;
      delays.push(Math.round(performance.now() - jumped));
      const exit = actor.getSnapshot().context.exit;
      expect(exit?.price).toBe('63000');
      expect(exit?.reason).toBe('initial');
      feed.unsubscribe();
    }
    console.log(`stop-crossing delay, emulator price → actor exit: ${delays.join(', ')} ms`);
  });
});
