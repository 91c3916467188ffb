import type {
  ActivationReason,
  Market,
  Millis,
  Policy,
  PositionEvent,
  PositionSpec,
  ReplaySummary,
  Scenario,
  StopSource,
} from '../../src/domain/types.ts';
import { activationReason } from './rules/activation.ts';
import { breakevenStop, breakevenTriggered } from './rules/breakeven.ts';
import { crossesStop } from './rules/crossing.ts';
import {
  bigJumpLock,
  elasticEngages,
  elasticStop,
  lockValue,
  peakLockFloor,
  peakLockTriggered,
  pullbackLock,
  type ElasticFrame,
} from './rules/elastic.ts';
import { initialStop } from './rules/initialStop.ts';
import { dec, favourable, type Dec } from './rules/money.ts';
import { momentumAccelerates, momentumReference, momentumReleases } from './rules/momentum.ts';
import { ratchet, type Candidate } from './rules/ratchet.ts';
import { checkTick } from './rules/tickCheck.ts';
import { activeDistance, trailingStop } from './rules/trailing.ts';
import { pushWindow, windowMillis, type WindowTick } from './rules/window.ts';

/**
 * The decimal position step as the position machine ran it before integer prices: the rules of
 * `tests/oracle/rules` (verbatim copies of the decimal.js rules), composed in the order the
 * statechart's phases ran them — `PRICE` (steps 0–2 and activation), `tick.activate`,
 * `tick.trail` (distance region, then elastic), `tick.settle`, `tick.exit` — with the same
 * conditions for which phases a step runs and the same CLOCK rule. It is the differential
 * oracle: the machine must produce these events, line for line.
 */
export class OraclePosition {
  readonly events: PositionEvent[] = [];
  stop: Dec;
  source: StopSource = 'initial';
  exit: { ts: Millis; price: string; stop: string; reason: StopSource } | null = null;
  peak: Dec | null = null;
  private readonly entry: Dec;
  private readonly tickSize: Dec;
  private readonly frame: ElasticFrame | undefined;
  private readonly keepMs: number;
  private lastTs: Millis | null = null;
  private lastPrice: Dec | null = null;
  private clockTs: Millis | null = null;
  private window: WindowTick[] = [];
  private distance: 'off' | 'armed' | 'normal' | 'accelerated';
  private breakeven: 'off' | 'waiting' | 'reached';
  private elastic: 'off' | 'waiting' | 'engaged' | 'peakLocked';
  private extreme: Dec | null = null;
  private lock: Dec | undefined;
  private offers: { trailing?: Dec; elastic?: Dec; breakeven?: Dec } = {};

  constructor(
    market: Market,
    private readonly position: PositionSpec,
    private readonly policy: Policy,
  ) {
    this.entry = dec(position.entryPrice);
    this.tickSize = dec(market.tickSize);
    this.stop = initialStop(policy.initialStop, this.entry, position.side, this.tickSize);
    this.distance = policy.trailing === undefined ? 'off' : 'armed';
    this.breakeven = policy.breakeven === undefined ? 'off' : 'waiting';
    this.elastic = policy.elastic === undefined ? 'off' : 'waiting';
    this.frame =
      policy.elastic === undefined
        ? undefined
        : {
            unit: policy.elastic.unit,
            entry: this.entry,
            quantity: dec(position.quantity),
            side: position.side,
            tickSize: this.tickSize,
          };
    const windows = [
      policy.trailing?.momentum?.windowSeconds,
      policy.elastic?.bigJump?.windowSeconds,
    ]
      .filter((s): s is string => s !== undefined)
      .map(windowMillis);
    this.keepMs = windows.length === 0 ? -1 : Math.max(...windows);
    this.events.push({ type: 'opened', ts: position.openedAt, stop: this.stop.toFixed() });
  }

  get open(): boolean {
    return this.exit === null;
  }

  private get awaitsActivation(): boolean {
    return this.distance === 'armed' || this.breakeven === 'waiting';
  }

  /** One PRICE event. */
  price(ts: Millis, text: string): void {
    if (!this.open) return;
    const side = this.position.side;
    const checked = checkTick({ ts, price: text }, this.lastTs ?? undefined);
    if (checked.why !== undefined) {
      this.events.push({ type: 'tickRejected', ts, why: checked.why });
      return;
    }
    const price = checked.price;
    if (crossesStop(side, price, this.stop)) {
      this.lastTs = ts;
      this.lastPrice = price;
      this.exitAt(ts, price);
      return;
    }
    const run = this.awaitsActivation
      ? 'activationAndRules'
      : this.distance === 'off' && this.breakeven === 'off' && this.elastic === 'off'
        ? 'none'
        : 'rules';
    this.lastTs = ts;
    this.lastPrice = price;
    this.peak = this.peak === null ? price : favourable(this.peak, price, side);
    this.window = pushWindow(this.window, [ts, price.toFixed()], this.keepMs);
    if (run === 'none') return;
    const activation = run === 'activationAndRules' ? this.activationAt(ts, price) : undefined;
    this.phases(ts, price, false, activation, run === 'activationAndRules');
  }

  /** One CLOCK event. */
  clock(ts: Millis): void {
    if (!this.open) return;
    const advances =
      Number.isFinite(ts) &&
      this.lastPrice !== null &&
      this.lastTs !== null &&
      ts > this.lastTs &&
      (this.clockTs === null || ts > this.clockTs);
    if (!advances || !this.awaitsActivation || this.lastPrice === null) return;
    this.clockTs = ts;
    const price = this.lastPrice;
    this.phases(ts, price, true, this.activationAt(ts, price), true);
  }

  private activationAt(ts: Millis, price: Dec): ActivationReason | undefined {
    return activationReason(this.policy.activation, {
      ts,
      price,
      openedAt: this.position.openedAt,
      entry: this.entry,
      side: this.position.side,
    });
  }

  private phases(
    ts: Millis,
    price: Dec,
    clock: boolean,
    activation: ActivationReason | undefined,
    activatePhase: boolean,
  ): void {
    const side = this.position.side;
    const text = price.toFixed();
    // tick.activate: distance region, then breakeven.
    if (activatePhase) {
      if (this.distance === 'armed' && activation !== undefined) {
        this.distance = 'normal';
        this.extreme = price;
        this.events.push({ type: 'activated', ts, price: text, reason: activation });
      }
      const breakeven = this.policy.breakeven;
      if (
        this.breakeven === 'waiting' &&
        breakeven !== undefined &&
        breakevenTriggered(breakeven, price, this.entry, side)
      ) {
        this.breakeven = 'reached';
        this.offers.breakeven = breakevenStop(breakeven, this.entry, side, this.tickSize);
        this.events.push({ type: 'breakevenReached', ts, price: text });
      }
    }
    // tick.trail: distance region first (document order), then elastic.
    const trailing = this.policy.trailing;
    if (
      (this.distance === 'normal' || this.distance === 'accelerated') &&
      trailing !== undefined &&
      this.peak !== null
    ) {
      const momentum = trailing.momentum;
      const ref =
        momentum === undefined || clock ? undefined : momentumReference(momentum, this.window, ts);
      if (momentum !== undefined && ref !== undefined) {
        if (this.distance === 'normal' && momentumAccelerates(momentum, price, ref, side)) {
          this.distance = 'accelerated';
          this.events.push({ type: 'accelerated', ts, price: text });
        } else if (
          this.distance === 'accelerated' &&
          momentumReleases(momentum, price, ref, side)
        ) {
          this.distance = 'normal';
          this.events.push({ type: 'decelerated', ts, price: text });
        }
      }
      this.extreme = this.extreme === null ? price : favourable(this.extreme, price, side);
      const distance = activeDistance(
        trailing,
        this.peak,
        this.entry,
        side,
        this.distance === 'accelerated',
      );
      this.offers.trailing = trailingStop(distance, this.extreme, side, this.tickSize);
    }
    const elastic = this.policy.elastic;
    const frame = this.frame;
    if (!clock && elastic !== undefined && frame !== undefined && this.peak !== null) {
      let peakLock: 'reach' | 'hold' | 'none' | undefined;
      const triggers = (peak: Dec) =>
        elastic.peakLock !== undefined && peakLockTriggered(elastic.peakLock, frame, peak);
      if (this.elastic === 'waiting' && elasticEngages(elastic, frame, this.peak)) {
        this.events.push({ type: 'elasticEngaged', ts, price: text });
        if (triggers(this.peak)) {
          this.elastic = 'peakLocked';
          peakLock = 'reach';
        } else {
          this.elastic = 'engaged';
          peakLock = 'none';
        }
      } else if (this.elastic === 'engaged') {
        if (triggers(this.peak)) {
          this.elastic = 'peakLocked';
          peakLock = 'reach';
        } else peakLock = 'none';
      } else if (this.elastic === 'peakLocked') peakLock = 'hold';
      if (peakLock !== undefined) {
        let lock = pullbackLock(elastic, frame, this.peak, this.lock);
        const jumped =
          elastic.bigJump === undefined
            ? undefined
            : bigJumpLock(elastic.bigJump, frame, this.window, ts, price, lock);
        if (jumped !== undefined) {
          lock = jumped;
          this.events.push({ type: 'bigJumpLocked', ts, lock: lockValue(frame, jumped).toFixed() });
        }
        if (peakLock !== 'none' && elastic.peakLock !== undefined) {
          if (peakLock === 'reach') this.events.push({ type: 'peakLocked', ts, price: text });
          lock = peakLockFloor(elastic.peakLock, frame, lock);
        }
        this.lock = lock;
        this.offers.elastic = elasticStop(frame, lock);
      }
    }
    // tick.settle: the ratchet, then the exit check.
    const candidates: Candidate[] = [];
    if (this.offers.trailing !== undefined)
      candidates.push({ source: 'trailing', stop: this.offers.trailing });
    if (this.offers.elastic !== undefined)
      candidates.push({ source: 'elastic', stop: this.offers.elastic });
    if (this.offers.breakeven !== undefined)
      candidates.push({ source: 'breakeven', stop: this.offers.breakeven });
    const moved = ratchet(this.stop, candidates, side);
    if (moved !== undefined) {
      this.stop = moved.stop;
      this.source = moved.source;
      this.events.push({
        type: 'stopMoved',
        ts,
        price: text,
        stop: moved.stop.toFixed(),
        source: moved.source,
      });
    }
    if (crossesStop(side, price, this.stop)) this.exitAt(ts, price);
  }

  private exitAt(ts: Millis, price: Dec): void {
    this.exit = { ts, price: price.toFixed(), stop: this.stop.toFixed(), reason: this.source };
    this.events.push({ type: 'exited', ...this.exit });
  }

  /** The replay's last line. */
  summary(): ReplaySummary {
    return {
      type: 'summary',
      exited: this.exit !== null,
      exitTs: this.exit?.ts ?? null,
      exitPrice: this.exit?.price ?? null,
      exitReason: this.exit?.reason ?? null,
      finalStop: this.stop.toFixed(),
    };
  }
}

/** One input of a differential run: a price tick, or a CLOCK. */
export type OracleInput =
  | { readonly type: 'PRICE'; readonly ts: Millis; readonly price: string }
  | { readonly type: 'CLOCK'; readonly ts: Millis };

/** Returns the oracle's events and summary for `scenario` (its ticks as PRICE events). */
export function replayOracle(scenario: Scenario): {
  events: PositionEvent[];
  summary: ReplaySummary;
} {
  const oracle = new OraclePosition(scenario.market, scenario.position, scenario.policy);
  for (const tick of scenario.ticks) oracle.price(tick.ts, tick.price);
  return { events: oracle.events, summary: oracle.summary() };
}
