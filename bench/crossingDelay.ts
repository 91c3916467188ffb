/**
 * Measures how long a stop-crossing price takes from the exchange emulator publishing it to the
 * position actor exiting: real ccxt WebSocket client, validation, the position's lane (on its
 * slow 3 s lane when the jump comes), the statechart. Run: `npx tsx bench/crossingDelay.ts [N]`.
 */
import { createActor } from 'xstate';
import { feedPosition } from '../src/streams/positionFeed.ts';
import { positionMachine } from '../src/machines/positionMachine.ts';
import { ccxtWatchSource } from '../src/streams/ccxtWatchSource.ts';
import { validatedSource } from '../src/streams/validateTicks.ts';
import { createCcxtClient, startEmulator } from '../src/venues/emulator/index.ts';

/** Delay percentiles in milliseconds over `trials` stop crossings. */
export interface CrossingDelay {
  readonly trials: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Returns the measured delays of `trials` crossings, one fresh position each. */
export async function measureCrossingDelay(
  trials = 100,
  log: (line: string) => void = () => undefined,
): Promise<CrossingDelay> {
  const emu = await startEmulator({ symbols: ['BTCUSDT'], startPrices: { BTCUSDT: '65000' } });
  const client = await createCcxtClient(emu);
  await client.loadMarkets();
  const source = validatedSource(ccxtWatchSource(client, { watch: 'trades' }));
  const delays: number[] = [];
  let n = 0;
  const wiggle = setInterval(
    () => emu.setPrice('BTCUSDT', (65000 + (n++ % 5) * 0.1).toFixed(1)),
    20,
  );
  try {
    for (let trial = 0; trial < trials; trial++) {
      emu.setPrice('BTCUSDT', '65000');
      const actor = createActor(positionMachine, {
        input: {
          market: { tickSize: '0.1' },
          position: { side: 'long', entryPrice: '65000', quantity: '0.01', openedAt: 0 },
          policy: { initialStop: { percent: '2' } },
        },
      }).start();
      let lane = 'fast';
      let exitedAt = 0;
      actor.subscribe((snapshot) => {
        if (snapshot.status === 'done' && exitedAt === 0) exitedAt = performance.now();
      });
      const feed = feedPosition(actor, source, 'BTC/USDT:USDT', {
        fastMs: 30,
        normalMs: 3000,
        fastWhenProfit: { percent: '5' },
        downgradeAfterCycles: 2,
        initialLane: 'fast',
        onLaneChange: (change) => (lane = change.to),
      });
      while (lane !== 'normal' || actor.getSnapshot().context.last === null) await sleep(5);
      clearInterval(wiggle);
      const published = performance.now();
      emu.setPrice('BTCUSDT', '63000');
      while (exitedAt === 0) await sleep(1);
      delays.push(exitedAt - published);
      feed.unsubscribe();
      if ((trial + 1) % 10 === 0) log(`crossing delay: ${trial + 1}/${trials} trials`);
    }
  } finally {
    clearInterval(wiggle);
    await client.close();
    await emu.close();
  }
  const sorted = [...delays].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    trials,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const trials = Number(process.argv[2] ?? 100);
  const result = await measureCrossingDelay(trials, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
