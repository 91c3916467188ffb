import { activationReason } from '../src/domain/activation.ts';
import { breakevenStop, breakevenTriggered } from '../src/domain/breakeven.ts';
import {
  bigJumpLock,
  elasticEngages,
  elasticStop,
  peakLockFloor,
  peakLockTriggered,
  pullbackLock,
  type ElasticFrame,
} from '../src/domain/elastic.ts';
import { initialStop } from '../src/domain/initialStop.ts';
import { crossesStop } from '../src/domain/crossing.ts';
import { dec, favourable, parseDecimal, type Dec } from '../src/domain/money.ts';
import {
  momentumAccelerates,
  momentumReference,
  momentumReleases,
} from '../src/domain/momentum.ts';
import { ratchet, type Candidate } from '../src/domain/ratchet.ts';
import { activeDistance, trailingStop } from '../src/domain/trailing.ts';
import { pushWindow, windowMillis, type WindowTick } from '../src/domain/window.ts';
import type { Market, Policy, PositionSpec, Tick } from '../src/domain/types.ts';

/**
 * The stop computation of SPEC "The step", written as a plain loop over the src/domain rule
 * functions: no statechart, no events, no context copies. It exists to measure the rule
 * arithmetic alone (stage 1); stage 2 measures the same rules driven by the position machine,
 * and the gap between the two is the statechart's cost. State is kept as decimals, not as the
 * machine's strings, because serializing is wiring, not rule arithmetic.
 */
export class RulesStepper {
  private readonly entry: Dec;
  private readonly tickSize: Dec;
  private readonly frame: ElasticFrame | undefined;
  private readonly keepMs: number;
  stop: Dec;
  source: Candidate['source'] | 'initial' = 'initial';
  exited = false;
  /** How many SPEC events the steps would have emitted (so the work cannot be skipped). */
  events = 0;
  private lastTs: number | null = null;
  private peak: Dec | null = null;
  private window: WindowTick[] = [];
  private armed: boolean;
  private extreme: Dec | null = null;
  private accelerated = false;
  private breakeven: 'off' | 'waiting' | 'reached';
  private elastic: 'off' | 'waiting' | 'engaged' | 'peakLocked';
  private lock: Dec | undefined;

  constructor(
    market: Market,
    private readonly position: PositionSpec,
    private readonly policy: Policy,
  ) {
    this.entry = dec(position.entryPrice);
    this.tickSize = dec(market.tickSize);
    this.stop = initialStop(policy.initialStop, this.entry, position.side, this.tickSize);
    this.armed = policy.trailing !== undefined;
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
  }

  /** Runs SPEC steps 0–8 for one tick. */
  step(tick: Tick): void {
    if (this.exited) return;
    const side = this.position.side;
    // 0. Bad ticks: parsed with the validating parser, as the machine's guards do.
    const price = parseDecimal(tick.price);
    if (price === undefined || price.lte(0) || (this.lastTs !== null && tick.ts < this.lastTs)) {
      this.events++;
      return;
    }
    // 1. The standing stop.
    if (crossesStop(side, price, this.stop)) {
      this.exited = true;
      this.events++;
      return;
    }
    // 2. Peaks and the window buffer.
    this.lastTs = tick.ts;
    this.peak = this.peak === null ? price : favourable(this.peak, price, side);
    this.window = pushWindow(this.window, [tick.ts, tick.price], this.keepMs);
    const candidates: Candidate[] = [];
    // 3. Activation.
    if (this.armed) {
      const reason = activationReason(this.policy.activation, {
        ts: tick.ts,
        price,
        openedAt: this.position.openedAt,
        entry: this.entry,
        side,
      });
      if (reason !== undefined) {
        this.armed = false;
        this.extreme = price;
        this.events++;
      }
    }
    // 4. Breakeven.
    const breakeven = this.policy.breakeven;
    if (breakeven !== undefined) {
      if (this.breakeven === 'waiting' && breakevenTriggered(breakeven, price, this.entry, side)) {
        this.breakeven = 'reached';
        this.events++;
      }
      if (this.breakeven === 'reached') {
        candidates.push({
          source: 'breakeven',
          stop: breakevenStop(breakeven, this.entry, side, this.tickSize),
        });
      }
    }
    // 5. Distance trailing with momentum.
    const trailing = this.policy.trailing;
    if (trailing !== undefined && !this.armed && this.extreme !== null) {
      this.extreme = favourable(this.extreme, price, side);
      const momentum = trailing.momentum;
      if (momentum !== undefined) {
        const ref = momentumReference(momentum, this.window, tick.ts);
        if (ref !== undefined) {
          if (!this.accelerated && momentumAccelerates(momentum, price, ref, side)) {
            this.accelerated = true;
            this.events++;
          } else if (this.accelerated && momentumReleases(momentum, price, ref, side)) {
            this.accelerated = false;
            this.events++;
          }
        }
      }
      const distance = activeDistance(trailing, this.peak, this.entry, side, this.accelerated);
      candidates.push({
        source: 'trailing',
        stop: trailingStop(distance, this.extreme, side, this.tickSize),
      });
    }
    // 6. Elastic (SETE).
    const elastic = this.policy.elastic;
    const frame = this.frame;
    if (elastic !== undefined && frame !== undefined && this.elastic !== 'off') {
      if (this.elastic === 'waiting' && elasticEngages(elastic, frame, this.peak)) {
        this.elastic = 'engaged';
        this.events++;
      }
      if (this.elastic !== 'waiting') {
        let lock = pullbackLock(elastic, frame, this.peak, this.lock);
        if (elastic.bigJump !== undefined) {
          const jumped = bigJumpLock(elastic.bigJump, frame, this.window, tick.ts, price, lock);
          if (jumped !== undefined) {
            lock = jumped;
            this.events++;
          }
        }
        const peakLock = elastic.peakLock;
        if (peakLock !== undefined) {
          if (this.elastic === 'engaged' && peakLockTriggered(peakLock, frame, this.peak)) {
            this.elastic = 'peakLocked';
            this.events++;
          }
          if (this.elastic === 'peakLocked') lock = peakLockFloor(peakLock, frame, lock);
        }
        this.lock = lock;
        candidates.push({ source: 'elastic', stop: elasticStop(frame, lock) });
      }
    }
    // 7. The ratchet.
    const moved = ratchet(this.stop, candidates, side);
    if (moved !== undefined) {
      this.stop = moved.stop;
      this.source = moved.source;
      this.events++;
    }
    // 8. The stop as it now stands.
    if (crossesStop(side, price, this.stop)) {
      this.exited = true;
      this.events++;
    }
  }
}

/**
 * Returns the final stop of the simplest float trailing stop over `cents` (prices in cents):
 * the physical limit the exact engine is compared with. No rounding, no rules, no exit
 * bookkeeping beyond stopping the loop.
 */
export function floatTrailingStop(cents: Int32Array, initial: number, fraction: number): number {
  let stop = initial;
  let extreme = -Infinity;
  const keep = 1 - fraction;
  for (let i = 0; i < cents.length; i++) {
    const p = (cents[i] as number) / 100;
    if (p <= stop) break;
    if (p > extreme) extreme = p;
    const candidate = extreme * keep;
    if (candidate > stop) stop = candidate;
  }
  return stop;
}
