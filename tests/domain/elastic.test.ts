import { describe, expect, it } from 'vitest';
import {
  bigJumpLock,
  elasticEngages,
  elasticStop,
  lockValue,
  peakLockFloor,
  peakLockTriggered,
  pullbackLock,
  type ElasticFrame,
} from '../../src/domain/elastic.ts';
import { Dec } from '../../src/domain/money.ts';
import type { ElasticPolicy, Side } from '../../src/domain/types.ts';

// The SPEC's worked example: entry 100, quantity 10, tick 0.0001, unit quote.
const policy: ElasticPolicy = {
  unit: 'quote',
  engageAt: '0.10',
  pullback: '0.40',
  floor: '0',
  minStep: '0.10',
  bigJump: { threshold: '0.40', windowSeconds: '5', margin: '0.10' },
  peakLock: { trigger: '1.00', lock: '0.80' },
};
const frame = (side: Side, unit: 'quote' | 'percent' = 'quote'): ElasticFrame => ({
  unit,
  entry: new Dec('100'),
  quantity: new Dec('10'),
  side,
  tickSize: new Dec('0.0001'),
});
const mirror = (p: string) => new Dec(200).minus(p).toFixed(); // the short twin of a long price around 100

describe('elasticEngages', () => {
  it.each([
    ['100.01', 'long', true], // peak profit 0.10 exactly engages
    ['100.0099', 'long', false],
    ['99.99', 'short', true],
    ['99.9901', 'short', false],
  ] as const)('peak %s (%s) → %s', (peak, side, expected) => {
    expect(elasticEngages(policy, frame(side), new Dec(peak))).toBe(expected);
  });
});

describe('pullbackLock', () => {
  const rows: [note: string, peak: string, lock: string | undefined, expected: string][] = [
    ['first lock is the target: 0.56 × 0.6', '100.056', undefined, '0.336'],
    ['target 0.528 ≥ 0.336 + 0.10 moves the lock', '100.088', '0.336', '0.528'],
    ['target 0.432 < 0.336 + 0.10 keeps the lock', '100.072', '0.336', '0.336'],
    [
      'target exactly lock + minStep moves it',
      '100.0726666666666666666666666667',
      '0.336',
      '0.436',
    ],
  ];
  it.each(rows)('%s', (_note, peak, lock, expected) => {
    const got = pullbackLock(
      policy,
      frame('long'),
      new Dec(peak),
      lock === undefined ? undefined : new Dec(lock),
    );
    expect(got.toDecimalPlaces(3).toFixed()).toBe(expected);
    const short = pullbackLock(
      policy,
      frame('short'),
      new Dec(mirror(peak)),
      lock === undefined ? undefined : new Dec(lock),
    );
    expect(short.toDecimalPlaces(3).toFixed()).toBe(expected);
  });
  it('the floor holds when the pullback target is below it', () => {
    const floored = { ...policy, floor: '0.5' };
    expect(pullbackLock(floored, frame('long'), new Dec('100.056'), undefined).toFixed()).toBe(
      '0.5',
    );
  });
});

describe('bigJumpLock (window 5 s, threshold 0.40, margin 0.10)', () => {
  const buffer = [
    [0, '100.056'],
    [1000, '100.034'],
    [2000, '100.088'],
  ] as const;
  const rows: [
    note: string,
    now: number,
    price: string,
    lock: string,
    expected: string | undefined,
  ][] = [
    ['SPEC: 0.88 − lowest 0.34 ≥ 0.40 locks 0.78', 2000, '100.088', '0.528', '0.78'],
    ['a lock already above now − margin is kept', 2000, '100.088', '0.8', undefined],
    ['the low left the window: no jump', 6001, '100.088', '0.528', undefined],
    ['a jump of exactly the threshold counts', 2000, '100.074', '0', '0.64'],
  ];
  it.each(rows)('%s', (_note, now, price, lock, expected) => {
    const bj = policy.bigJump!;
    const long = bigJumpLock(bj, frame('long'), buffer, now, new Dec(price), new Dec(lock));
    expect(long?.toFixed()).toBe(expected);
    const mirrored = buffer.map(([ts, p]) => [ts, mirror(p)] as const);
    const short = bigJumpLock(
      bj,
      frame('short'),
      mirrored,
      now,
      new Dec(mirror(price)),
      new Dec(lock),
    );
    expect(short?.toFixed()).toBe(expected);
  });
});

describe('peakLock', () => {
  it.each([
    ['100.1', 'long', true], // profit exactly 1.00
    ['100.0999', 'long', false],
    ['99.9', 'short', true],
  ] as const)('peak %s (%s) triggers → %s', (peak, side, expected) => {
    expect(peakLockTriggered(policy.peakLock!, frame(side), new Dec(peak))).toBe(expected);
  });
  it('holds the lock at peakLock.lock at least', () => {
    expect(peakLockFloor(policy.peakLock!, frame('long'), new Dec('0.66')).toFixed()).toBe('0.8');
    expect(peakLockFloor(policy.peakLock!, frame('long'), new Dec('0.9')).toFixed()).toBe('0.9');
  });
});

describe('elasticStop: the price whose profit equals the lock', () => {
  const rows: [
    note: string,
    unit: 'quote' | 'percent',
    side: Side,
    lock: string,
    expected: string,
  ][] = [
    ['quote long: 100 + 0.336 / 10', 'quote', 'long', '0.336', '100.0336'],
    ['quote short: 100 − 0.336 / 10', 'quote', 'short', '0.336', '99.9664'],
    ['quote long, non-terminating: rounds up', 'quote', 'long', '0.1', '100.01'],
    ['percent long: lock 0.5 % (scaled 50)', 'percent', 'long', '50', '100.5'],
    ['percent short: lock 0.5 % (scaled 50)', 'percent', 'short', '50', '99.5'],
  ];
  it.each(rows)('%s', (_note, unit, side, lock, expected) => {
    expect(elasticStop(frame(side, unit), new Dec(lock)).toFixed()).toBe(expected);
  });
  it('a quote lock that is not a whole tick per unit rounds toward the market', () => {
    const odd = { ...frame('long'), quantity: new Dec(3) };
    expect(elasticStop(odd, new Dec('0.1')).toFixed()).toBe('100.0334'); // 100.0333… rounds up
    expect(elasticStop({ ...odd, side: 'short' }, new Dec('0.1')).toFixed()).toBe('99.9666'); // 99.9666… rounds down
  });
});

describe('lockValue prints a percent lock with 40 decimals at most', () => {
  it('keeps quote locks as they are', () => {
    expect(lockValue(frame('long'), new Dec('0.78')).toFixed()).toBe('0.78');
  });
  it('divides a scaled percent lock by the entry', () => {
    const f = { ...frame('long', 'percent'), entry: new Dec('2.792') };
    // 1.583… % is (2.839 − 2.792) × 100 − 0.1 × 2.792, scaled by the entry (random-101).
    const scaled = new Dec('2.839').minus('2.792').times(100).minus(new Dec('0.1').times('2.792'));
    expect(lockValue(f, scaled).toFixed()).toBe('1.5833810888252148997134670487106017191977');
  });
});
