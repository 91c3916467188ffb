import { describe, expect, it } from 'vitest';
import {
  elasticRule,
  engagedLock,
  jumpLock,
  lockFacts,
  lockOfText,
  lockText,
  lockValue,
  peakLockFloor,
  pulledLock,
  shownLock,
  type ElasticRule,
} from '../../src/domain/elastic.ts';
import { Dec } from '../../src/domain/money.ts';
import type { PriceFrame } from '../../src/domain/priceFrame.ts';
import type { ElasticPolicy, Side } from '../../src/domain/types.ts';
import { windowLow, windowStart } from '../../src/domain/window.ts';
import { frameOf, signed, textOf } from './frameOf.ts';

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
const mirror = (p: string) => new Dec(200).minus(p).toFixed(); // the short twin of a long price around 100

function setup(
  side: Side,
  rules: ElasticPolicy = policy,
  quantity = '10',
): { frame: PriceFrame; rule: ElasticRule; at: (price: string) => number } {
  const frame = frameOf('100', side, '0.0001');
  const rule = elasticRule(rules, frame, quantity);
  return { frame, rule, at: (price) => signed(frame, side === 'long' ? price : mirror(price)) };
}

describe('engaging', () => {
  it.each([
    ['100.01', 'long', true], // peak profit 0.10 exactly engages
    ['100.0099', 'long', false],
    ['99.99', 'short', true],
    ['99.9901', 'short', false],
  ] as const)('peak %s (%s) → %s', (peak, side, expected) => {
    const { frame, rule } = setup(side);
    expect(signed(frame, peak) >= rule.engage).toBe(expected);
  });
});

describe('the pullback lock', () => {
  it.each(['long', 'short'] as const)('%s: the first lock is the target, 0.56 × 0.6', (side) => {
    const { rule, at } = setup(side);
    expect(lockText(rule, engagedLock(rule, at('100.056')))).toBe('0.336');
  });
  it.each(['long', 'short'] as const)(
    '%s: it moves once the target reaches lock + minStep, not a tick before',
    (side) => {
      const { rule, at } = setup(side);
      const facts = lockFacts(rule, lockOfText(rule, '0.336'));
      // target (peak − 100) × 10 × 0.6 ≥ 0.436 first holds at 100.0727 (0.43620).
      expect(facts.pullbackPeak).toBe(at('100.0727'));
      expect(lockText(rule, pulledLock(rule, at('100.0727')))).toBe('0.4362');
      expect(lockText(rule, pulledLock(rule, at('100.088')))).toBe('0.528');
    },
  );
  it('with minStep 0 it moves on any higher target', () => {
    const { rule, at } = setup('long', { ...policy, minStep: '0' });
    expect(lockFacts(rule, lockOfText(rule, '0.336')).pullbackPeak).toBe(at('100.0561'));
  });
  it('the floor holds when the pullback target is below it', () => {
    const { rule, at } = setup('long', { ...policy, floor: '0.5' });
    expect(lockText(rule, engagedLock(rule, at('100.056')))).toBe('0.5');
  });
});

describe('the big jump (window 5 s, threshold 0.40, margin 0.10)', () => {
  // [ts, price units] pairs, flat, at scale 4.
  const window = (side: Side) =>
    [
      [0, '100.056'],
      [1000, '100.034'],
      [2000, '100.088'],
    ].flatMap(([ts, p]) => [
      ts as number,
      Number(new Dec(side === 'long' ? (p as string) : mirror(p as string)).times(1e4)),
    ]);
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
    for (const side of ['long', 'short'] as const) {
      const { frame, rule, at } = setup(side);
      const jump = rule.jump!;
      const w = window(side);
      const p = at(price);
      const low = windowLow(w, windowStart(w, now, jump.windowMs), p, frame.sign);
      const facts = lockFacts(rule, lockOfText(rule, lock));
      const jumps = p - low >= jump.rise && p >= facts.jumpBeat;
      expect(jumps ? lockText(rule, jumpLock(rule, p)) : undefined, side).toBe(expected);
    }
  });
});

describe('the peak lock', () => {
  it.each([
    ['100.1', 'long', true], // profit exactly 1.00
    ['100.0999', 'long', false],
    ['99.9', 'short', true],
  ] as const)('peak %s (%s) triggers → %s', (peak, side, expected) => {
    const { frame, rule } = setup(side);
    expect(signed(frame, peak) >= (rule.peakLockAt as number)).toBe(expected);
  });
  it('holds the lock at peakLock.lock at least', () => {
    const { rule } = setup('long');
    expect(lockText(rule, peakLockFloor(rule, lockOfText(rule, '0.66')))).toBe('0.8');
    expect(lockText(rule, peakLockFloor(rule, lockOfText(rule, '0.9')))).toBe('0.9');
  });
});

describe('the elastic stop: the price whose profit equals the lock', () => {
  const rows: [
    note: string,
    unit: 'quote' | 'percent',
    side: Side,
    lock: string,
    expected: string,
  ][] = [
    ['quote long: 100 + 0.336 / 10', 'quote', 'long', '0.336', '100.0336'],
    ['quote short: 100 − 0.336 / 10', 'quote', 'short', '0.336', '99.9664'],
    ['quote long, 0.1 / 10', 'quote', 'long', '0.1', '100.01'],
    ['percent long: lock 0.5 % (scaled 50)', 'percent', 'long', '50', '100.5'],
    ['percent short: lock 0.5 % (scaled 50)', 'percent', 'short', '50', '99.5'],
  ];
  it.each(rows)('%s', (_note, unit, side, lock, expected) => {
    const { frame, rule } = setup(side, { ...policy, unit });
    expect(textOf(frame, lockFacts(rule, lockOfText(rule, lock)).stop)).toBe(expected);
  });
  it('a quote lock that is not a whole tick per unit rounds toward the market', () => {
    for (const [side, expected] of [
      ['long', '100.0334'], // 100.0333… rounds up
      ['short', '99.9666'], // 99.9666… rounds down
    ] as const) {
      const { frame, rule } = setup(side, policy, '3');
      expect(textOf(frame, lockFacts(rule, lockOfText(rule, '0.1')).stop)).toBe(expected);
    }
  });
});

describe('the lock as people read it', () => {
  it('keeps quote locks as they are', () => {
    const { rule } = setup('long');
    expect(shownLock(rule, lockOfText(rule, '0.78'), '100')).toBe('0.78');
  });
  it('divides a scaled percent lock by the entry, 40 decimals at most', () => {
    const frame = frameOf('2.792', 'long', '0.001');
    const rule = elasticRule({ ...policy, unit: 'percent', engageAt: '0.8' }, frame, '3');
    // 1.583… % is (2.839 − 2.792) × 100 − 0.1 × 2.792, scaled by the entry (random-101).
    const lock = jumpLock(rule, signed(frame, '2.839'));
    const expected = '1.5833810888252148997134670487106017191977';
    expect(shownLock(rule, lock, '2.792')).toBe(expected);
    const display = {
      unit: 'percent',
      entry: new Dec('2.792'),
      quantity: new Dec(3),
      side: 'long',
    } as const;
    expect(lockValue(display, new Dec(lockText(rule, lock))).toFixed()).toBe(expected);
  });
});
