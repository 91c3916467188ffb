import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it, type TestContext } from 'vitest';
import { createRandom } from '../../src/venues/emulator/random.ts';
import {
  continuousJournal,
  EmulatorProcess,
  EngineProcess,
  engineConfig,
  lastDesired,
  loggedPositionId,
  logRecord,
  ourStops,
  readJournal,
  runRatchet,
  settled,
  stopGracefully,
  tempDir,
  testSeed,
  writeIn,
  type AdminState,
  type LogRecord,
} from './liveProcess.ts';

const RESTARTS = 20;

/** Where a kill lands in one move: right after the price, or after this record of a moved position. */
const STAGES = ['price', 'placeStop', 'stopResting', 'stopCancelled'] as const;

/**
 * An emulator with `symbols` (stopped when the test ends) and a way to start engines, each
 * with the test's config and data directory; every engine is killed when the test ends.
 */
async function rig(context: TestContext, symbols: readonly string[], prefix: string, seed = 1) {
  const dir = tempDir('ratchet-live-');
  const dataDir = join(dir, 'data');
  const em = await EmulatorProcess.start(symbols, seed);
  const engines: EngineProcess[] = [];
  context.onTestFinished(async () => {
    for (const e of engines) await e.dispose();
    await em.stop();
    // A failed test's data stays for a look (its path is printed); a passed one's goes.
    if (context.task.result?.state !== 'fail') rmSync(dir, { recursive: true, force: true });
  });
  context.onTestFailed(() => {
    const last = engines.filter((e) => e.started).at(-1);
    console.log(`${context.task.name}: data in ${dataDir}; last engine's stderr:`);
    console.log(last?.process.tail(30) ?? '');
  });
  /** Spawns an engine that loads now and reads its config on `release`. */
  const spawn = () => {
    const e = EngineProcess.spawn(
      dir,
      `engine-${engines.length}`,
      engineConfig({ url: em.restUrl, dataDir, prefix }),
      em,
    );
    engines.push(e);
    return e;
  };
  /** Starts an engine and resolves with it and its readiness line. */
  const start = async () => {
    const e = spawn();
    return { engine: e, ready: await e.release() };
  };
  return { em, dataDir, engines, spawn, start };
}

/** The engine config of the refusal tests; URL is replaced by each. */
const CONFIG = `venue:
  exchange: binanceusdm
  url: URL
  apiKey: \${RATCHET_API_KEY}
  secret: \${RATCHET_API_SECRET}
policy:
  initialStop: { percent: 2 }
  trailing: { percent: 1 }
protection: { minIntervalSeconds: 0, minImprovementPercent: 0 }
dataDir: data
`;
const KEYS = {
  RATCHET_API_KEY: 'k3y-never-printed',
  RATCHET_API_SECRET: 'secret',
  RATCHET_LOG_LEVEL: 'info',
};

/** Returns a port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Runs `ratchet run --config` on `text` and returns the exit and what it said, log lines aside. */
async function run(text: string, env: Record<string, string | undefined> = KEYS) {
  const dir = tempDir('ratchet-live-config-');
  const file = writeIn(dir, 'engine.yaml', text);
  const result = await runRatchet(['run', '--config', file], env);
  rmSync(dir, { recursive: true, force: true });
  const said = result.stderr
    .split('\n')
    .filter((l) => !l.startsWith('{"level"'))
    .join('\n');
  return { ...result, said };
}

/** Checks that `said` is one paragraph from ratchet: no blank line, no stack frame. */
function expectOneParagraph(said: string): void {
  expect(said).toMatch(/^ratchet: /);
  expect(said.trim()).not.toMatch(/\n\s*\n/);
  expect(said).not.toMatch(/^\s+at /m);
  expect(said).not.toMatch(/internal error|Error:/);
}

/**
 * Returns a gate that lets one test through at a time, each until it finishes. The shorter
 * tests pass it one by one beside the long SIGKILL test: all at once they would start a dozen
 * processes together and load the machine far more than the engine under test does.
 */
function turnstile(): (context: TestContext) => Promise<void> {
  let last = Promise.resolve();
  return async (context) => {
    let leave = () => {};
    const mine = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const before = last;
    last = last.then(() => mine);
    await before;
    context.onTestFinished(() => leave());
  };
}
const oneAtATime = turnstile();

// Each test has its own emulator, engines and data. The SIGKILL test runs beside the others:
// most of its time is spent waiting, which they fill.
describe.concurrent('ratchet run as a process, against the emulator as a process', () => {
  describe('stopped, killed and started again', () => {
    it(`keeps one stop per position at the desired price, nothing naked, through ${RESTARTS} SIGKILLs during moves`, async (context) => {
      const { expect } = context;
      const seed = testSeed('live SIGKILL test', 20261128);
      const random = createRandom(seed);
      const prefix = 'rtkill';
      // Prices are whole USDT so that 1 % of them is on the tick. `peak` is the best price so
      // far; `seen` says whether the engine has certainly seen it (its stop followed it).
      const book = {
        BTCUSDT: { side: 'long' as const, quantity: '0.01', peak: new Decimal(60000), step: 10 },
        ETHUSDT: { side: 'short' as const, quantity: '0.5', peak: new Decimal(3000), step: 1 },
      };
      const seen = new Set<string>();
      type Symbol = keyof typeof book;
      const symbols = Object.keys(book) as Symbol[];
      /** The stop trailing 1 % behind the best price so far. */
      const target = (symbol: Symbol) => {
        const { side, peak } = book[symbol];
        return peak.times(side === 'long' ? '0.99' : '1.01').toString();
      };
      const { em, dataDir, engines, spawn } = await rig(context, symbols, prefix, seed);
      let progress = 'starting';
      let lastState: AdminState | undefined;
      context.onTestFailed(() => {
        console.log(`failed at: ${progress} (seed ${seed})`);
        console.log(`last /admin/state orders: ${JSON.stringify(lastState?.openOrders ?? [])}`);
      });
      const settle = (engine: EngineProcess, what: string) => {
        progress = what;
        const targets = Object.fromEntries(symbols.map((s) => [s, target(s)]));
        return settled(engine, em, prefix, targets, what, (state) => {
          lastState = state;
        }).then((state) => {
          for (const symbol of symbols) seen.add(symbol);
          return state;
        });
      };
      /** A new best price: the stop must follow. */
      const improve = async (symbol: Symbol) => {
        const entry = book[symbol];
        const by = random.int(1, 40) * entry.step;
        entry.peak = entry.side === 'long' ? entry.peak.plus(by) : entry.peak.minus(by);
        seen.delete(symbol);
        await em.setPrice(symbol, entry.peak.toString());
      };
      /**
       * A price up to 0.5 % back from a peak the engine has seen: the stop stays (it is 1 %
       * away). Posted only after a seen peak, so that the engine's peak is always known.
       */
      const pullBack = async (symbol: Symbol) => {
        const entry = book[symbol];
        const most = entry.peak.times('0.005').div(entry.step).floor().toNumber();
        const by = random.int(1, most) * entry.step;
        const price = entry.side === 'long' ? entry.peak.minus(by) : entry.peak.plus(by);
        await em.setPrice(symbol, price.toString());
      };

      /**
       * Resolves, at the first `stage` record answering the new peak of one of `moved`, with
       * that position's symbol: its engine has seen the peak. A stop's cancel is the one after
       * the new stop rests (a record of the previous move may still be on its way).
       */
      const reached = async (
        engine: EngineProcess,
        stage: Exclude<(typeof STAGES)[number], 'price'>,
        moved: readonly Symbol[],
        from: number,
      ): Promise<Symbol> => {
        const at = (r: LogRecord) => moved.find((s) => r.position?.includes(`:${s}:`) === true);
        const following = (r: LogRecord, type: string) => {
          const symbol = at(r);
          if (symbol === undefined || r.type !== type) return false;
          const price =
            type === 'placeStop'
              ? r['stopPrice']
              : (r['stop'] as { stopPrice?: unknown })?.stopPrice;
          return typeof price === 'string' && new Decimal(price).eq(target(symbol));
        };
        const first = stage === 'placeStop' ? 'placeStop' : 'stopResting';
        const i = await engine.nextRecord(
          (r) => following(r, first),
          `a ${first} at the new peak`,
          from,
        );
        const symbol = at(engine.records[i] as LogRecord) as Symbol;
        if (stage === 'stopCancelled') {
          await engine.nextRecord(
            (r) => r.type === 'stopCancelled' && at(r) === symbol,
            `the cancel after the new ${symbol} stop rests`,
            i + 1,
          );
        }
        return symbol;
      };

      for (const symbol of symbols)
        await em.trade(symbol, book[symbol].side, book[symbol].quantity);
      let engine = spawn();
      await engine.release();
      // The next engines load while this one works (loading takes longer than a restart on a
      // busy machine); each reads its config only once its predecessor is dead.
      const waiting = [spawn(), spawn()];
      let spawned = 2;
      await settle(engine, 'the first stops rest');

      for (let restart = 1; restart <= RESTARTS; restart++) {
        const loading = performance.now();
        const next = waiting.shift() as EngineProcess;
        await next.loaded();
        const moving = performance.now();
        const moves = random.int(1, 4);
        const killAt = random.int(0, moves - 1);
        const stage = STAGES[random.int(0, STAGES.length - 1)] ?? 'price';
        const whileDown = random.int(0, 2);
        const plan = `restart ${restart}/${RESTARTS}: ${moves} move(s), SIGKILL in move ${killAt + 1} after ${stage}, ${whileDown} price(s) while down`;
        for (let m = 0; m < moves; m++) {
          const pick = random.int(0, 2);
          const moved = pick === 2 ? symbols : [symbols[pick] as Symbol];
          const mark = engine.records.length;
          for (const symbol of moved) await improve(symbol);
          if (m === killAt) {
            progress = `${plan}: waiting for ${stage}`;
            if (stage !== 'price') seen.add(await reached(engine, stage, moved, mark));
            expect((await engine.process.signal('SIGKILL')).signal).toBe('SIGKILL');
            break;
          }
          await settle(engine, `${plan}: move ${m + 1} settles`);
          for (const symbol of moved) if (random.int(0, 1) === 1) await pullBack(symbol);
        }
        for (let d = 0; d < whileDown; d++) {
          const symbol = symbols[random.int(0, 1)] as Symbol;
          if (seen.has(symbol) && random.int(0, 1) === 1) await pullBack(symbol);
          else await improve(symbol);
        }

        const movesMs = performance.now() - moving;
        engine = next;
        progress = `${plan}: restarting`;
        const t0 = performance.now();
        const ready = await engine.release();
        const t1 = performance.now();
        if (spawned < RESTARTS) {
          waiting.push(spawn());
          spawned += 1;
        }
        expect(ready).toMatch(/protecting 2 position\(s\).*resumed 2, new 0, closed while down 0/);
        const state = await settle(engine, `${plan}: settles after the restart`);
        console.log(
          `${plan}; waited ${Math.round(moving - loading)} ms for the next engine to load, moves ${Math.round(movesMs)} ms; ready ${Math.round(t1 - t0)} ms after reading its config, settled ${Math.round(performance.now() - t1)} ms later`,
        );
        for (const symbol of symbols) {
          const stops = ourStops(state, prefix, symbol);
          expect(stops, `${plan} (seed ${seed})`).toHaveLength(1);
          expect(stops[0]?.triggerPrice).toBe(target(symbol));
          expect(stops[0]?.quantity).toBe(book[symbol].quantity);
          expect(
            state.positions.find((p) => p.symbol === symbol)?.unprotectedMsSinceFirstProtected,
            `${symbol} naked after ${plan} (seed ${seed})`,
          ).toBe(0);
        }
      }

      progress = 'stopping with SIGINT';
      await stopGracefully(engine, 2);

      progress = 'reading the journal';
      const byId = continuousJournal(await readJournal(dataDir));
      const state = await em.state();
      const ids = new Set(symbols.map((s) => loggedPositionId(engine, s)));
      expect([...byId.keys()].sort()).toEqual([...ids].flatMap((id) => [id, `${id}/sync`]).sort());
      for (const id of ids) {
        const symbol = symbols.find((s) => id.includes(`:${s}:`)) as Symbol;
        const desired = lastDesired(byId.get(id));
        expect(desired, id).toBe(target(symbol));
        // Restarts never loosen the desired stop, nor forget a peak.
        const stops = (byId.get(id) ?? [])
          .filter((l) => l.event.type === 'opened' || l.event.type === 'stopMoved')
          .map((l) => new Decimal(l.event['stop'] as string));
        const loosened = stops.findIndex((stop, i) =>
          i === 0
            ? false
            : book[symbol].side === 'long'
              ? stop.lte(stops[i - 1] as Decimal)
              : stop.gte(stops[i - 1] as Decimal),
        );
        expect(
          loosened,
          `${id}: stop ${stops[loosened]?.toString()} after ${stops[loosened - 1]?.toString()}`,
        ).toBe(-1);
        expect(ourStops(state, prefix, symbol).map((o) => o.triggerPrice)).toEqual([desired]);
        const sync = byId.get(`${id}/sync`) ?? [];
        expect(
          sync.filter((l) => l.event.type === 'reconciled').length,
          `${id}: a reconciliation per restart at least`,
        ).toBeGreaterThanOrEqual(RESTARTS);
        const placed = sync
          .filter((l) => l.event.type === 'placeStop')
          .map((l) => l.event['clientId']);
        expect(new Set(placed).size, `${id}: a client id is never sent twice`).toBe(placed.length);
      }
      const alerts = engines.flatMap((e) =>
        e.records.filter((r) => r.level >= 50).map((r) => r.msg),
      );
      expect(alerts).toEqual([]);
    }, 600_000);

    it('exits 0 on SIGINT, saying so, and leaves every stop resting', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const prefix = 'rtstop';
      const { em, dataDir, start } = await rig(context, ['BTCUSDT', 'ETHUSDT'], prefix);
      await em.trade('BTCUSDT', 'long', '0.01');
      await em.trade('ETHUSDT', 'short', '0.5');
      const { engine } = await start();
      await settled(engine, em, prefix, { BTCUSDT: '59400', ETHUSDT: '3030' }, 'the first stops');
      await em.setPrice('BTCUSDT', '60500');
      await em.setPrice('ETHUSDT', '2950');
      await settled(
        engine,
        em,
        prefix,
        { BTCUSDT: '59895', ETHUSDT: '2979.5' },
        'the stops follow',
      );

      await stopGracefully(engine, 2);

      const state = await em.state();
      expect(ourStops(state, prefix, 'BTCUSDT').map((o) => o.triggerPrice)).toEqual(['59895']);
      expect(ourStops(state, prefix, 'ETHUSDT').map((o) => o.triggerPrice)).toEqual(['2979.5']);
      expect(state.positions).toHaveLength(2);
      for (const p of state.positions) {
        expect(p.isProtected, p.symbol).toBe(true);
        expect(p.unprotectedMsSinceFirstProtected, p.symbol).toBe(0);
      }
      // The store was flushed and let go: the journal reads, and says where the stops are.
      const byId = continuousJournal(await readJournal(dataDir));
      expect(lastDesired(byId.get(loggedPositionId(engine, 'BTCUSDT')))).toBe('59895');
      expect(lastDesired(byId.get(loggedPositionId(engine, 'ETHUSDT')))).toBe('2979.5');
    }, 400_000);

    it('handles a position opened, one closed and a price moved while it was down; leaves others’ orders alone', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const prefix = 'rtdown';
      const { em, dataDir, start } = await rig(context, ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], prefix);
      await em.trade('BTCUSDT', 'long', '0.01');
      await em.trade('ETHUSDT', 'short', '0.5');
      // Someone else's stop on a position the engine protects: never ours to move or cancel.
      const foreign = await em.placeStop({
        symbol: 'ETHUSDT',
        side: 'BUY',
        quantity: '0.5',
        triggerPrice: '3500',
        clientAlgoId: 'manual-eth-1',
      });

      const first = await start();
      expect(first.ready).toMatch(/new 2, .*others' orders left alone 1\)/);
      await settled(first.engine, em, prefix, { BTCUSDT: '59400', ETHUSDT: '3030' }, 'first stops');
      await em.setPrice('BTCUSDT', '60500');
      await settled(first.engine, em, prefix, { BTCUSDT: '59895', ETHUSDT: '3030' }, 'BTC moves');
      const btc = loggedPositionId(first.engine, 'BTCUSDT');
      const eth = loggedPositionId(first.engine, 'ETHUSDT');
      await stopGracefully(first.engine, 2);

      // While the engine is down: ETH closed elsewhere, SOL opened, BTC higher.
      await em.trade('ETHUSDT', 'long', '0.5');
      await em.trade('SOLUSDT', 'long', '10');
      await em.setPrice('BTCUSDT', '61000');
      const down = await em.state();
      expect(down.positions.map((p) => p.symbol).sort()).toEqual(['BTCUSDT', 'SOLUSDT']);
      const leftover = ourStops(down, prefix, 'ETHUSDT');
      expect(leftover, 'the closed position’s reduce-only stop is left resting').toHaveLength(1);

      const second = await start();
      expect(second.ready).toMatch(
        /resumed 1, new 1, closed while down 1, orphan stops cancelled 0, others' orders left alone 1\)/,
      );
      const state = await settled(
        second.engine,
        em,
        prefix,
        { BTCUSDT: '60390', ETHUSDT: null, SOLUSDT: '148.5' },
        'after the restart',
      );
      expect(ourStops(state, prefix, 'SOLUSDT')[0]?.quantity).toBe('10');
      expect(state.openOrders.filter((o) => !o.clientAlgoId.startsWith(`${prefix}-`))).toEqual([
        expect.objectContaining({
          algoId: foreign.algoId,
          clientAlgoId: 'manual-eth-1',
          triggerPrice: '3500',
        }),
      ]);
      for (const p of state.positions) expect(p.unprotectedMsSinceFirstProtected, p.symbol).toBe(0);
      expect(second.engine.records).toContainEqual(
        expect.objectContaining({ msg: 'order not ours: left alone', clientId: 'manual-eth-1' }),
      );
      await second.engine.process.wait(
        'stderr',
        (l) => logRecord(l)?.msg === 'position closed and cleaned up' && l.includes(eth),
        'the closed position is cleaned up',
      );
      const sol = loggedPositionId(second.engine, 'SOLUSDT');
      await stopGracefully(second.engine, 2);

      const byId = continuousJournal(await readJournal(dataDir));
      expect([...byId.keys()].sort()).toEqual(
        [btc, eth, sol].flatMap((id) => [id, `${id}/sync`]).sort(),
      );
      expect(lastDesired(byId.get(btc))).toBe('60390');
      expect(lastDesired(byId.get(sol))).toBe('148.5');
      const ethSync = (byId.get(`${eth}/sync`) ?? []).map((l) => l.event);
      expect(ethSync.at(-1)?.type).toBe('syncDone');
      expect(ethSync).toContainEqual(
        expect.objectContaining({ type: 'reconciled', quantity: null }),
      );
      expect(ethSync).toContainEqual(
        expect.objectContaining({
          type: 'cancelStop',
          clientId: leftover[0]?.clientAlgoId,
          purpose: 'leftover',
        }),
      );
    }, 400_000);

    it('starts although the venue answers its time slowly: no request is signed ahead of its clock', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const prefix = 'rtclock';
      const { em, start } = await rig(context, ['BTCUSDT'], prefix);
      await em.trade('BTCUSDT', 'long', '0.01');
      // The venue reads its clock 3 s into the round trip, at its end. An offset taken from the
      // round trip's middle signs every request 1.5 s ahead of the venue, and Binance refuses a
      // timestamp more than 1 s ahead of its clock (-1021); one 5 s behind it still takes.
      await em.faults({ latencyMs: { 'GET /fapi/v1/time': 3000 } });
      const { engine, ready } = await start();
      expect(ready).toMatch(/protecting 1 position\(s\)/);
      await settled(engine, em, prefix, { BTCUSDT: '59400' }, 'the stop rests');
      await stopGracefully(engine, 1);
    }, 400_000);

    it('takes a position closed and reopened on the same side while it was down as a new one', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const prefix = 'rtreopen';
      const { em, dataDir, start } = await rig(context, ['ETHUSDT'], prefix);
      await em.trade('ETHUSDT', 'short', '0.5');
      const first = await start();
      await settled(first.engine, em, prefix, { ETHUSDT: '3030' }, 'first stop');
      await em.setPrice('ETHUSDT', '2990');
      await settled(first.engine, em, prefix, { ETHUSDT: '3019.9' }, 'the stop follows');
      const old = loggedPositionId(first.engine, 'ETHUSDT');
      await stopGracefully(first.engine, 1);

      // While down: closed at 2990, the price rises through the old stop (which, with nothing to
      // reduce, expires), and a new short opens at 3100.
      await em.trade('ETHUSDT', 'long', '0.5');
      await em.setPrice('ETHUSDT', '3100');
      await em.trade('ETHUSDT', 'short', '0.5');
      expect((await em.state()).positions[0]?.entryPrice).toBe('3100');

      const second = await start();
      // The new position's own stop: 1 % above 3100. Not the old position's 3019.9: that is
      // under the price, so placing it would close the new position at once.
      const state = await settled(second.engine, em, prefix, { ETHUSDT: '3131' }, 'after restart');
      expect(state.positions).toEqual([
        expect.objectContaining({ symbol: 'ETHUSDT', amount: '-0.5', entryPrice: '3100' }),
      ]);
      expect(state.orders.filter((o) => o.clientOrderId.startsWith(`${prefix}-`))).toEqual([]);
      expect(second.ready).toMatch(/new 1, closed while down 1/);
      await stopGracefully(second.engine, 1);
      const byId = continuousJournal(await readJournal(dataDir));
      expect(byId.get(`${old}/sync`)?.at(-1)?.event.type).toBe('syncDone');
    }, 400_000);
  });

  describe('refuses a bad start in one paragraph', () => {
    it('an unknown key: exit 2, the key named, the known one suggested', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const r = await run(
        CONFIG.replace('URL', 'http://127.0.0.1:8787').replace(
          'minIntervalSeconds: 0',
          'minIntervalSecond: 0',
        ),
      );
      expect(r.code).toBe(2);
      expectOneParagraph(r.said);
      expect(r.said).toMatch(
        /engine\.yaml: protection\.minIntervalSecond: unknown key \(did you mean "minIntervalSeconds"\?\)/,
      );
      expect(r.stdout).toBe('');
    }, 400_000);

    it('a missing environment variable: exit 2, the variable named, the secret not shown', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const r = await run(CONFIG.replace('URL', 'http://127.0.0.1:8787'), {
        ...KEYS,
        RATCHET_API_SECRET: undefined,
      });
      expect(r.code).toBe(2);
      expectOneParagraph(r.said);
      expect(r.said).toMatch(
        /venue\.secret: "\$\{RATCHET_API_SECRET\}" names the environment variable RATCHET_API_SECRET, which is not set/,
      );
      expect(r.said).not.toContain('k3y-never-printed');
    }, 400_000);

    it('a bad policy: exit 2, the key and what is allowed', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const r = await run(
        CONFIG.replace('URL', 'http://127.0.0.1:8787').replace(
          'trailing: { percent: 1 }',
          'trailing: { percent: 150 }',
        ),
      );
      expect(r.code).toBe(2);
      expectOneParagraph(r.said);
      expect(r.said).toMatch(/policy\.trailing\.percent: 150 is not in \(0, 100\)/);
    }, 400_000);

    it('an unreachable venue: exit 1, a clear message naming the url, no order sent', async (context) => {
      const { expect } = context;
      await oneAtATime(context);
      const url = `http://127.0.0.1:${await closedPort()}`;
      const r = await run(CONFIG.replace('URL', url));
      expect(r.code, r.stderr).toBe(1);
      expectOneParagraph(r.said);
      expect(r.said).toContain(`the venue ${url} cannot be reached`);
      expect(r.said).toMatch(/Check venue\.url .*no order was sent/);
      expect(r.stdout).toBe('');
    }, 400_000);
  });
});
