import fc from 'fast-check';
import { expandCandles, type CandlePath } from '../../src/config/ticksSchema.ts';
import type {
  Distance,
  ElasticPolicy,
  Market,
  Policy,
  PositionSpec,
  Side,
  Tier,
} from '../../src/domain/types.ts';
import { Dec } from './rules/money.ts';
import type { OracleInput } from './oraclePosition.ts';

/**
 * Random positions, policies and input paths for the differential test: every policy block in
 * every variant the SPEC allows, long and short, tick paths and candle paths (all three candle
 * paths), bad ticks of every kind, CLOCK events, prices off the tick grid and in exponent
 * notation. Amounts are drawn in ticks of the market so that rules actually fire on short paths.
 */

/** A generated differential case. */
export interface DifferentialCase {
  readonly market: Market;
  readonly position: PositionSpec;
  readonly policy: Policy;
  readonly inputs: readonly OracleInput[];
  /** How the inputs were made, for the failure message. */
  readonly path: string;
}

const TICK_SIZES = ['0.01', '0.5', '0.0001', '1', '0.25', '0.001', '0.05'] as const;
const QUANTITIES = ['3', '0.5', '2', '1.25', '7', '0.001', '250'] as const;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Returns `value` in plain decimal text. */
const text = (value: Dec) => value.toFixed();

interface Frame {
  readonly side: Side;
  readonly tick: Dec;
  readonly entry: Dec;
  readonly quantity: Dec;
}

const percentArb = pick(['0.1', '0.3', '0.5', '1', '1.5', '2', '2.5', '3.7']);

function distanceArb(frame: Frame): fc.Arbitrary<Distance> {
  return fc.oneof(
    percentArb.map((percent) => ({ percent })),
    fc.integer({ min: 1, max: 60 }).map((n) => ({ price: text(frame.tick.times(n)) })),
    // A price distance off the tick grid, and fractional tick counts.
    fc
      .integer({ min: 1, max: 99 })
      .map((n) => ({ price: text(frame.tick.times(n).div(7).toDP(6)) })),
    pick(['1', '3', '12', '40', '2.5', '0.75']).map((ticks) => ({ ticks })),
  );
}

function tiersArb(frame: Frame): fc.Arbitrary<Tier[]> {
  return fc
    .uniqueArray(pick(['0.2', '0.5', '1', '1.5', '2', '3', '5']), { maxLength: 3 })
    .chain((froms) =>
      fc.tuple(
        ...[...froms]
          .sort((a, b) => Number(a) - Number(b))
          .map((from) => distanceArb(frame).map((d) => ({ fromProfitPercent: from, ...d }))),
      ),
    );
}

function momentumArb() {
  return fc
    .record({
      windowSeconds: pick(['0.5', '1', '2', '10', '30']),
      threshold: pick(['0.05', '0.2', '0.5', '1']),
      releaseShare: pick(['0', '0.25', '0.5', '0.9']),
      factor: pick(['0.25', '0.5', '0.6', '1', '0.333']),
    })
    .map(({ windowSeconds, threshold, releaseShare, factor }) => ({
      windowSeconds,
      thresholdPercent: threshold,
      releasePercent: text(new Dec(threshold).times(releaseShare)),
      factor,
    }));
}

/** Amounts of SETE in its unit: quote amounts are whole multiples of tick × quantity. */
function elasticArb(frame: Frame): fc.Arbitrary<ElasticPolicy> {
  return pick(['quote', 'percent'] as const).chain((unit) => {
    const quoteStep = frame.tick.times(frame.quantity);
    const amount = (lo: number, hi: number) =>
      unit === 'quote'
        ? fc.integer({ min: lo, max: hi }).map((n) => text(quoteStep.times(n)))
        : fc.integer({ min: lo, max: hi }).map((n) => text(new Dec(n).div(10)));
    return fc
      .record({
        engageAt: amount(1, 20),
        pullback: pick(['0.1', '0.3', '0.4', '0.5', '0.9', '0.333']),
        floor: fc.oneof(fc.constant('0'), amount(0, 5)),
        minStep: fc.oneof(fc.constant('0'), amount(0, 6)),
        bigJump: maybe(
          fc
            .record({ threshold: amount(2, 20), marginShare: pick(['0', '0.1', '0.5', '0.9']) })
            .chain(({ threshold, marginShare }) =>
              pick(['1', '3', '5', '10', '0.5']).map((windowSeconds) => ({
                threshold,
                windowSeconds,
                margin: text(new Dec(threshold).times(marginShare)),
              })),
            ),
        ),
        peakLock: maybe(
          fc
            .record({ trigger: amount(2, 40), lockShare: pick(['0', '0.5', '0.8', '0.99']) })
            .map(({ trigger, lockShare }) => ({
              trigger,
              lock: text(new Dec(trigger).times(lockShare)),
            })),
        ),
      })
      .map(({ bigJump, peakLock, ...core }) => ({
        unit,
        ...core,
        ...(bigJump === undefined ? {} : { bigJump }),
        ...(peakLock === undefined ? {} : { peakLock }),
      }));
  });
}

function policyArb(frame: Frame): fc.Arbitrary<Policy> {
  const sign = frame.side === 'long' ? 1 : -1;
  const offEntry = (ticks: number) => text(frame.entry.plus(frame.tick.times(ticks * sign)));
  return fc
    .record({
      initialStop: fc.oneof(
        pick(['0.5', '2', '5', '3.5', '0.05']).map((percent) => ({ percent })),
        fc.integer({ min: 1, max: 80 }).map((n) => ({ price: offEntry(-n) })),
      ),
      activation: maybe(
        fc.oneof(
          fc.constant({ immediate: true }),
          fc.integer({ min: 0, max: 30 }).map((n) => ({ price: offEntry(n) })),
          pick(['0', '0.2', '1']).map((profitPercent) => ({ profitPercent })),
          fc
            .record({ afterSeconds: pick(['0', '1', '2.5', '30']), min: maybe(pick(['0', '0.1'])) })
            .map(({ afterSeconds, min }) =>
              min === undefined ? { afterSeconds } : { afterSeconds, minProfitPercent: min },
            ),
          fc
            .record({ n: fc.integer({ min: 5, max: 30 }), after: pick(['10', '60']) })
            .map(({ n, after }) => ({
              price: offEntry(n),
              profitPercent: '2',
              afterSeconds: after,
            })),
        ),
      ),
      trailing: maybe(
        fc.record({
          base: distanceArb(frame),
          tiers: tiersArb(frame),
          momentum: maybe(momentumArb()),
        }),
      ),
      breakeven: maybe(
        pick(['0.1', '0.5', '1.5']).chain((triggerPercent) =>
          pick(['0', '0.05', '0.09']).map((offsetPercent) => ({ triggerPercent, offsetPercent })),
        ),
      ),
      elastic: maybe(elasticArb(frame)),
    })
    .map(({ trailing, activation, breakeven, elastic, initialStop }) => {
      const policy: Record<string, unknown> = { initialStop };
      if (activation !== undefined) policy.activation = activation;
      if (trailing !== undefined) {
        policy.trailing = {
          ...trailing.base,
          ...(trailing.tiers.length > 0 ? { tiers: trailing.tiers } : {}),
          ...(trailing.momentum === undefined ? {} : { momentum: trailing.momentum }),
        };
      }
      if (breakeven !== undefined) policy.breakeven = breakeven;
      if (elastic !== undefined) policy.elastic = elastic;
      return policy as unknown as Policy;
    });
}

type Step =
  | { kind: 'move'; dTicks: number; dt: number; offGrid: boolean; exponent: boolean }
  | { kind: 'bad'; price: string }
  | { kind: 'back' }
  | { kind: 'nanTs' }
  | { kind: 'clock'; dt: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      dTicks: fc.integer({ min: -30, max: 30 }),
      dt: pick([0, 1, 100, 250, 1000, 5000]),
      offGrid: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
      exponent: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
    }),
  },
  {
    weight: 1,
    arbitrary: pick(['NaN', 'Infinity', '', 'abc', '-1', '0', '-0.0001', '1e99999']).map(
      (price) => ({ kind: 'bad' as const, price }),
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'back' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'nanTs' as const }) },
  {
    weight: 2,
    arbitrary: pick([1, 500, 5000, 60_000]).map((dt) => ({ kind: 'clock' as const, dt })),
  },
);

/** Writes `value` in exponent notation ("1.7700E+3" style), which a feed or a file may use. */
function exponentText(value: Dec): string {
  return value.toExponential().toUpperCase();
}

function tickPath(frame: Frame, steps: readonly Step[], start: number): OracleInput[] {
  let at = frame.entry.div(frame.tick).floor().toNumber();
  const lo = Math.ceil(at / 2);
  const hi = Math.floor((at * 3) / 2);
  let ts = start;
  const inputs: OracleInput[] = [];
  for (const step of steps) {
    switch (step.kind) {
      case 'move': {
        at = Math.min(Math.max(at + step.dTicks, lo), hi);
        ts += step.dt;
        let price = frame.tick.times(at);
        // A tenth of a tick more: a price off the tick grid (entry prices and some feeds).
        if (step.offGrid) price = price.plus(frame.tick.div(10));
        inputs.push({
          type: 'PRICE',
          ts,
          price: step.exponent ? exponentText(price) : text(price),
        });
        break;
      }
      case 'bad':
        inputs.push({ type: 'PRICE', ts, price: step.price });
        break;
      case 'back':
        inputs.push({ type: 'PRICE', ts: ts - 1, price: text(frame.tick.times(at)) });
        break;
      case 'nanTs':
        inputs.push({ type: 'PRICE', ts: Number.NaN, price: text(frame.tick.times(at)) });
        break;
      case 'clock':
        inputs.push({ type: 'CLOCK', ts: ts + step.dt });
        break;
    }
  }
  return inputs;
}

function candlePath(
  frame: Frame,
  candles: readonly { up: number; down: number; close: number }[],
  path: CandlePath,
): OracleInput[] {
  let at = frame.entry.div(frame.tick).floor().toNumber();
  const price = (n: number) => text(frame.tick.times(Math.max(1, n)));
  const expanded = expandCandles(
    candles.map((c, i) => {
      const open = at;
      const close = Math.max(1, at + c.close);
      const high = Math.max(open, close) + c.up;
      const low = Math.max(1, Math.min(open, close) - c.down);
      at = close;
      return {
        ts: (i + 1) * 60_000,
        open: price(open),
        high: price(high),
        low: price(low),
        close: price(close),
      };
    }),
    path,
  );
  return expanded.map((t) => ({ type: 'PRICE', ts: t.ts, price: t.price }));
}

/** The arbitrary of differential cases. */
export const differentialCaseArb: fc.Arbitrary<DifferentialCase> = fc
  .record({
    side: pick(['long', 'short'] as const),
    tick: pick(TICK_SIZES),
    entryTicks: fc.integer({ min: 200, max: 5000 }),
    entryOffGrid: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    quantity: pick(QUANTITIES),
    openedAt: pick([0, 5000]),
  })
  .chain((p) => {
    const tick = new Dec(p.tick);
    const entry = tick.times(p.entryTicks).plus(p.entryOffGrid ? tick.div(100) : 0);
    const frame: Frame = { side: p.side, tick, entry, quantity: new Dec(p.quantity) };
    const market: Market = { tickSize: p.tick };
    const position: PositionSpec = {
      side: p.side,
      entryPrice: text(entry),
      quantity: p.quantity,
      openedAt: p.openedAt,
    };
    const inputs = fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .array(stepArb, { minLength: 1, maxLength: 90 })
          .map((steps) => ({ path: 'ticks', inputs: tickPath(frame, steps, p.openedAt) })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({
            candles: fc.array(
              fc.record({
                up: fc.integer({ min: 0, max: 40 }),
                down: fc.integer({ min: 0, max: 40 }),
                close: fc.integer({ min: -40, max: 40 }),
              }),
              { minLength: 1, maxLength: 20 },
            ),
            path: pick(['auto', 'highFirst', 'lowFirst'] as const),
          })
          .map(({ candles, path }) => ({
            path: `candles (${path})`,
            inputs: candlePath(frame, candles, path),
          })),
      },
    );
    return fc
      .record({ policy: policyArb(frame), inputs })
      .map(({ policy, inputs: made }) => ({ market, position, policy, ...made }));
  });
