import { describe, expect, it } from 'vitest';
import { positionTag } from '../../src/engine/clientIds.ts';
import { AcknowledgedStops, tagOf, type EngineRecord } from '../../bench/soakStops.ts';

const LONG = 'binanceusdm:BTCUSDT:long:1000';
const SHORT = 'binanceusdm:ETHUSDT:short:2000';
const cid = (position: string, n: number) => `rtsoak-${positionTag(position)}-s${n}`;
const rec = (position: string, type: string, fields: Partial<EngineRecord> = {}): EngineRecord => ({
  level: 30,
  msg: type,
  position,
  type,
  ...fields,
});
const resting = (position: string, id: string, stopPrice: string) =>
  rec(position, 'stopResting', { stop: { id, clientId: 'x', stopPrice, quantity: '1' } });
const never = () => false;

describe('AcknowledgedStops', () => {
  it('finds a long whose best exchange stop is looser than the one acknowledged', () => {
    const acks = new AcknowledgedStops();
    acks.record(resting(LONG, '1', '59000'));
    acks.record(resting(LONG, '2', '59500'));
    const open = new Map([['BTCUSDT', 'long' as const]]);
    const stop = (algoId: string, stopPrice: string) => ({
      symbol: 'BTCUSDT',
      algoId,
      clientId: cid(LONG, Number(algoId)),
      stopPrice,
    });
    // Make-before-break: the old looser stop still rests beside the new one — fine.
    expect(acks.looser(open, [stop('1', '59000'), stop('2', '59500')], never)).toEqual([]);
    // A tighter one not yet acknowledged — fine.
    expect(acks.looser(open, [stop('3', '59600')], never)).toEqual([]);
    // Only the older, looser stop is left: the engine's protection went backwards.
    expect(acks.looser(open, [stop('1', '59000')], never)).toEqual([
      { position: LONG, symbol: 'BTCUSDT', acknowledged: '59500', onExchange: '59000' },
    ]);
    // Stale (a new position on the symbol), over, or another side: not this position's business.
    expect(acks.looser(open, [stop('1', '59000')], () => true)).toEqual([]);
    expect(acks.looser(new Map([['BTCUSDT', 'short']]), [stop('1', '59000')], never)).toEqual([]);
    acks.record(rec(LONG, 'positionFlat'));
    expect(acks.looser(open, [stop('1', '59000')], never)).toEqual([]);
  });

  it('reads tightness the other way for a short and follows cancels and reconciles', () => {
    const acks = new AcknowledgedStops();
    acks.record(resting(SHORT, '7', '3050'));
    acks.record(resting(SHORT, '8', '3040'));
    const open = new Map([['ETHUSDT', 'short' as const]]);
    const at = (algoId: string, stopPrice: string) => [
      { symbol: 'ETHUSDT', algoId, clientId: cid(SHORT, 1), stopPrice },
    ];
    expect(acks.looser(open, at('7', '3050'), never)).toHaveLength(1);
    expect(acks.looser(open, at('9', '3030'), never)).toEqual([]);
    acks.record(rec(SHORT, 'stopCancelled', { id: '8' }));
    expect(acks.resting(SHORT)).toBeNull();
    expect(acks.looser(open, at('7', '3050'), never)).toEqual([]);
    // After a restart the engine keeps stop 7: its price is known from when it rested.
    acks.record(rec(SHORT, 'reconciled', { resting: '7' }));
    expect(acks.resting(SHORT)).toEqual({ id: '7', stopPrice: '3050' });
    expect(acks.ownerOf('7')).toBe(SHORT);
    expect(acks.ownerOf('8')).toBeUndefined();
    expect(tagOf(cid(SHORT, 3))).toBe(positionTag(SHORT));
  });

  it('checks a stop adopted from a predecessor as the position’s own', () => {
    const acks = new AcknowledgedStops();
    const before = 'binanceusdm:BTCUSDT:long:1';
    acks.record(resting(before, '5', '59500'));
    acks.record(rec(before, 'reconciled', { resting: null }));
    // The new position takes in charge the predecessor's stop 5 after a restart.
    acks.record(rec(LONG, 'reconciled', { resting: '5' }));
    expect(acks.ownerOf('5')).toBe(LONG);
    const open = new Map([['BTCUSDT', 'long' as const]]);
    const inherited = {
      symbol: 'BTCUSDT',
      algoId: '5',
      clientId: cid(before, 1),
      stopPrice: '59500',
    };
    expect(acks.looser(open, [inherited], never)).toEqual([]);
    const looserOwn = {
      symbol: 'BTCUSDT',
      algoId: '6',
      clientId: cid(LONG, 1),
      stopPrice: '59000',
    };
    expect(acks.looser(open, [looserOwn], never)).toHaveLength(1);
  });

  it('reads from the exchange the price of a stop adopted before it was ever acknowledged', () => {
    const acks = new AcknowledgedStops((id) => (id === '14' ? '150.97' : undefined));
    acks.record(resting(SHORT, '12', '151.02'));
    // Stop 14's answer was never recorded (the disk was full); the restart adopts it.
    acks.record(rec(SHORT, 'reconciled', { resting: '14' }));
    expect(acks.resting(SHORT)).toEqual({ id: '14', stopPrice: '150.97' });
    expect(acks.ownerOf('14')).toBe(SHORT);
  });

  it('remembers at most a thousand positions', () => {
    const acks = new AcknowledgedStops();
    for (let i = 0; i < 1500; i++)
      acks.record(resting(`binanceusdm:BTCUSDT:long:${i}`, `${i}`, '1'));
    expect(acks.size).toBe(1000);
    expect(acks.resting('binanceusdm:BTCUSDT:long:0')).toBeNull();
    expect(acks.resting('binanceusdm:BTCUSDT:long:1499')).toEqual({ id: '1499', stopPrice: '1' });
  });

  it('follows a Bybit position stop moved in place under one id', () => {
    const acks = new AcknowledgedStops();
    const position = 'bybit:BTCUSDT:long:1000';
    const positionStop = (stopPrice: string) => ({
      symbol: 'BTCUSDT',
      algoId: 'BTCUSDT:sl',
      clientId: '',
      stopPrice,
    });
    acks.record(resting(position, 'BTCUSDT:sl', '59000'));
    acks.record(rec(position, 'stopAmended', { stop: { id: 'BTCUSDT:sl', stopPrice: '59500' } }));
    expect(acks.resting(position)).toEqual({ id: 'BTCUSDT:sl', stopPrice: '59500' });
    const open = new Map([['BTCUSDT', 'long' as const]]);
    expect(acks.looser(open, [positionStop('59500')], never)).toEqual([]);
    expect(acks.looser(open, [positionStop('59600')], never)).toEqual([]);
    // The amend was acknowledged, yet the exchange's stop stands where it was.
    expect(acks.looser(open, [positionStop('59000')], never)).toEqual([
      { position, symbol: 'BTCUSDT', acknowledged: '59500', onExchange: '59000' },
    ]);
  });

  it('reads a reconciled Bybit stop’s price from the exchange, not from an older position', () => {
    const before = 'bybit:BTCUSDT:long:1000';
    const after = 'bybit:BTCUSDT:long:2000';
    const acks = new AcknowledgedStops((id) => (id === 'BTCUSDT:sl' ? '58800' : undefined));
    acks.record(resting(before, 'BTCUSDT:sl', '59500'));
    acks.record(rec(before, 'positionFlat'));
    // The new position's stop was set at 58800 before a kill; the restart adopts it.
    acks.record(rec(after, 'reconciled', { resting: 'BTCUSDT:sl' }));
    expect(acks.resting(after)).toEqual({ id: 'BTCUSDT:sl', stopPrice: '58800' });
  });
});
