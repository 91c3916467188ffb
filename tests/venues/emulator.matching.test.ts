import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { ManualClock } from '../../src/venues/emulator/index.ts';
import { applyFill, reducibleQty } from '../../src/venues/emulator/ledger.ts';
import { BTC, setup } from './emulatorHarness.ts';

const d = (s: string): Decimal => new Decimal(s);

describe('ledger', () => {
  it.each([
    // from flat, a buy opens a long at the fill price
    ['0', '0', 'BUY', '1', '100', '1', '100', '0'],
    // adding averages the entry
    ['1', '100', 'BUY', '1', '110', '2', '105', '0'],
    // a partial reduce realises PnL at the old entry and keeps it
    ['2', '105', 'SELL', '1', '115', '1', '105', '10'],
    // a short closed above entry loses
    ['-1', '100', 'BUY', '1', '101', '0', '0', '-1'],
    // an oversized fill flips, the remainder entered at the fill price
    ['1', '100', 'SELL', '3', '90', '-2', '90', '-10'],
  ] as const)(
    '%s@%s %s %s@%s → %s@%s realised %s',
    (amt, entry, side, qty, price, amt2, entry2, realized) => {
      const r = applyFill({ amount: d(amt), entryPrice: d(entry) }, side, d(qty), d(price));
      expect([r.amount.toString(), r.entryPrice.toString(), r.realized.toString()]).toEqual([
        amt2,
        entry2,
        realized,
      ]);
    },
  );

  it.each([
    ['1', 'SELL', '0.4', '0.4'], // a sell reduces a long
    ['1', 'SELL', '5', '1'], // capped at the size: never flips
    ['1', 'BUY', '1', '0'], // a buy would grow a long: nothing to reduce
    ['-2', 'BUY', undefined, '2'], // closePosition takes the whole short
    ['0', 'SELL', '1', '0'], // flat: nothing to reduce
  ] as const)('reduce-only %s %s %s → %s', (amt, side, qty, out) => {
    const h = { amount: d(amt), entryPrice: d('100') };
    expect(reducibleQty(h, side, qty === undefined ? undefined : d(qty)).toString()).toBe(out);
  });
});

describe('conditional orders trigger by Binance rules', () => {
  it('a STOP_MARKET (CONTRACT_PRICE) triggers on the last price and closes the position, emitting fills', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    em.setPrice('BTCUSDT', '59000.1');
    expect(em.exchange.openAlgos()).toHaveLength(1);
    em.setPrice('BTCUSDT', '58900.0'); // a gap through the stop fills at the gap price
    const fetched = await ex.fetchOrder(stop.id!, BTC, { trigger: true });
    expect(fetched.status).toBe('closed');
    expect(fetched.info).toMatchObject({
      algoStatus: 'FINISHED',
      executedQty: '0.01',
      avgPrice: '58900',
    });
    expect(await ex.fetchPositions([BTC])).toHaveLength(0);
    expect(em.state().fills.at(-1)).toMatchObject({
      side: 'SELL',
      price: '58900',
      quantity: '0.01',
      realizedPnl: '-11',
    });
  });

  it('a MARK_PRICE stop ignores the last price and triggers on the mark', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'short', '0.010');
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, {
      stopLossPrice: 61000,
      reduceOnly: true,
      workingType: 'MARK_PRICE',
    });
    em.setPrice('BTCUSDT', '61500.0', '60900');
    expect(em.exchange.openAlgos()).toHaveLength(1);
    em.setPrice('BTCUSDT', '61500.0', '61000');
    expect(em.exchange.openAlgos()).toHaveLength(0);
    expect(em.exchange.position('BTCUSDT').amount.isZero()).toBe(true);
    expect(em.state().fills.at(-1)).toMatchObject({ side: 'BUY', price: '61500' });
  });

  it('a TRAILING_STOP_MARKET (CONTRACT_PRICE) activates at its activation price and fires callbackRate below the high', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      trailingPercent: 1,
      trailingTriggerPrice: 61000,
      reduceOnly: true,
    });
    em.setPrice('BTCUSDT', '59000.0'); // below activation: a 1 % drop from anywhere does nothing
    em.setPrice('BTCUSDT', '60990.0');
    expect(em.exchange.openAlgos()).toHaveLength(1);
    em.setPrice('BTCUSDT', '61000.0'); // activates; extreme 61000
    em.setPrice('BTCUSDT', '62000.0'); // new high; stop at 61380
    em.setPrice('BTCUSDT', '61380.1');
    expect(em.exchange.openAlgos()).toHaveLength(1);
    em.setPrice('BTCUSDT', '61380.0');
    expect(em.exchange.openAlgos()).toHaveLength(0);
    expect(em.exchange.position('BTCUSDT').amount.toString()).toBe('0');
  });

  it('a TRAILING_STOP_MARKET (MARK_PRICE) without activation tracks the mark from placement', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'short', '0.010');
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, {
      trailingPercent: 2,
      reduceOnly: true,
      workingType: 'MARK_PRICE',
    });
    em.setPrice('BTCUSDT', '50000.0', '50000'); // new low of the mark; stop at 51000
    em.setPrice('BTCUSDT', '52000.0', '50999'); // last is past the stop, the mark is not
    expect(em.exchange.openAlgos()).toHaveLength(1);
    em.setPrice('BTCUSDT', '52000.0', '51000');
    expect(em.exchange.openAlgos()).toHaveLength(0);
    expect(em.state().fills.at(-1)).toMatchObject({
      side: 'BUY',
      price: '52000',
      realizedPnl: '80',
    });
  });

  it('reduceOnly and closePosition stops never open or flip a position', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    // Three reduce-only stops that together exceed the position, and one closePosition stop.
    for (const stopLossPrice of [59500, 59400, 59200])
      await ex.createOrder(BTC, 'market', 'sell', 0.008, undefined, {
        stopLossPrice,
        reduceOnly: true,
      });
    await ex.createOrder(BTC, 'market', 'sell', undefined as unknown as number, undefined, {
      stopLossPrice: 59300,
      closePosition: true,
    });
    em.setPrice('BTCUSDT', '59000.0');
    expect(em.exchange.position('BTCUSDT').amount.toString()).toBe('0');
    const algos = em.state().openOrders;
    expect(algos).toHaveLength(0);
    const statuses = em.exchange.recentFills().map((f) => f.quantity);
    expect(statuses).toEqual(['0.01', '0.008', '0.002']);
    // The third reduce-only stop fired with nothing left to reduce.
    expect(em.exchange.findAlgo(4_000_000_003, undefined)).toMatchObject({
      status: 'EXPIRED',
      rejectReason: 'Reduce Only reject',
    });
    // The closePosition stop expired with the position it closed, before its turn came.
    expect(em.exchange.findAlgo(4_000_000_004, undefined)).toMatchObject({
      status: 'EXPIRED',
      triggerTime: 0,
    });
  });

  it('a reduce-only market order that would open a position is rejected (-2022)', async () => {
    const { em, ex } = await setup();
    await expect(
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true }),
    ).rejects.toThrow(/-2022/);
    expect(em.exchange.position('BTCUSDT').amount.isZero()).toBe(true);
  });

  it('answers -2021 (OrderImmediatelyFillable via the merged linear table) for a stop that would trigger at once', async () => {
    const { em, ex } = await setup();
    em.openPosition('BTCUSDT', 'long', '0.010');
    await expect(
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        stopLossPrice: 60000,
        reduceOnly: true,
      }),
    ).rejects.toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    await expect(
      ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
        trailingPercent: 1,
        trailingTriggerPrice: 59000,
        reduceOnly: true,
      }),
    ).rejects.toBeInstanceOf(ccxt.OrderImmediatelyFillable);
  });

  it('counts unprotectedMs only while no stop rests, with an injected clock', async () => {
    const clock = new ManualClock();
    const { em, ex } = await setup({ clock });
    em.openPosition('BTCUSDT', 'long', '0.010');
    clock.advance(250); // naked for 250 ms
    const stop = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59000,
      reduceOnly: true,
    });
    clock.advance(1000); // protected
    // create-then-cancel keeps protection: no naked time accrues
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, {
      stopLossPrice: 59100,
      reduceOnly: true,
    });
    await ex.cancelOrder(stop.id!, BTC, { trigger: true });
    clock.advance(1000);
    expect(em.state().positions[0]?.unprotectedMs).toBe(250);
    await ex.cancelAllOrders(BTC, { trigger: true });
    clock.advance(40); // naked again
    expect(em.state().positions[0]?.unprotectedMs).toBe(290);
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    const record = em.state().protection.at(-1);
    expect(record).toMatchObject({ symbol: 'BTCUSDT', side: 'long', unprotectedMs: 290 });
    expect(record?.closedAt).toBe(clock.now());
  });
});
