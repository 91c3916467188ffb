import { describe, expect, it } from 'vitest';
import { createStatusBoard, plainStatusLine } from '../../src/cli/paperStatus.ts';
import type { PositionSummary } from '../../src/inspector/protocol.ts';

const base: PositionSummary = {
  id: 'binanceusdm:BTCUSDT:long:1',
  label: 'BTCUSDT long',
  side: 'long',
  entryPrice: '60000',
  quantity: '0.01',
  openedAt: 1,
  tickSize: '0.1',
  policy: { initialStop: { percent: '3' } },
  symbol: 'BTCUSDT',
  records: 3,
  firstSeq: 0,
  status: 'open',
  state: 'trailing.normal',
  desiredStop: '59100',
  restingStop: '59000',
  unprotectedMs: 70,
  lastPrice: '60010',
  lastTs: 5,
  live: { orderSync: 'resting', lane: 'fast', restingStop: '59000', unprotectedMs: 70, gapMs: 0 },
  closedAt: null,
  syncSteps: 2,
};

function capture(isTty: boolean) {
  const out: string[] = [];
  return {
    out,
    board: createStatusBoard({ out: (l) => out.push(l), err: () => {}, isTty }, () => 80),
  };
}

describe('the paper status board', () => {
  it('prints a plain line when a position’s exchange side changes, not on every tick', () => {
    const { out, board } = capture(false);
    board.update([base]);
    board.update([{ ...base, desiredStop: '59120', lastPrice: '60030' }]);
    board.update([
      { ...base, restingStop: '59120', live: { ...base.live!, restingStop: '59120' } },
    ]);
    board.note('closed BTCUSDT long');
    expect(out).toEqual([
      'status BTCUSDT long resting state=trailing.normal resting=59000 desired=59100 last=60010 lane=fast unprotectedMs=70 id=binanceusdm:BTCUSDT:long:1',
      'status BTCUSDT long resting state=trailing.normal resting=59120 desired=59100 last=60010 lane=fast unprotectedMs=70 id=binanceusdm:BTCUSDT:long:1',
      'closed BTCUSDT long',
    ]);
    expect(plainStatusLine({ ...base, status: 'closed', restingStop: null })).toContain(
      'status BTCUSDT long closed state=trailing.normal resting=none',
    );
  });

  it('redraws one line per position in place on a terminal, notes above it, cut to the width', () => {
    const { out, board } = capture(true);
    const eth: PositionSummary = { ...base, id: 'x', symbol: 'ETHUSDT', side: 'short' };
    board.update([base, eth]);
    board.update([base, eth]);
    expect(out).toHaveLength(1);
    board.update([{ ...base, lastPrice: '60020' }, eth]);
    board.note('alert: something');
    expect(out[0]).not.toContain('\u001b[2F');
    expect(out[0]?.split('\n')).toHaveLength(2);
    // The second drawing goes back up over the two lines of the first.
    expect(out[1]?.startsWith('\u001b[2F\u001b[J')).toBe(true);
    expect(out[2]).toBe('\u001b[2F\u001b[J\u001b[2Kalert: something');
    expect(out[1]).toContain('last 60020');
    expect(out[3]?.split('\n').map((l) => l.replace('\u001b[2K', ''))).toEqual(
      out[1]
        ?.slice('\u001b[2F\u001b[J'.length)
        .split('\n')
        .map((l) => l.replace('\u001b[2K', '')),
    );
    for (const line of out[3]?.split('\n') ?? [])
      expect(line.replace('\u001b[2K', '').length).toBeLessThanOrEqual(80);
  });
});
