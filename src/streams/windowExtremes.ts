/**
 * The compression a lane applies to one window of ticks: keep the ticks that carry the
 * lowest, the highest and the last price, in their original order. A trailing stop is moved by
 * extremes and judged on the latest price, so these three carry what moves a stop; what they
 * lose (the exact path between them) is the lane's documented trade-off (docs/lanes.md).
 */
import type { Decimal } from 'decimal.js';

import { parsePrice, type PriceTick } from './priceTick.ts';

interface Marked {
  readonly tick: PriceTick;
  readonly seq: number;
  readonly price: Decimal;
}

/**
 * An accumulator over one window: O(1) memory whatever the tick rate, so a busy symbol in a
 * 3-second window costs three references, not a buffer.
 */
export class WindowExtremes {
  private low: Marked | undefined;
  private high: Marked | undefined;
  private last: Marked | undefined;
  private seq = 0;

  /** Returns true when no tick was added since the last {@link take}. */
  get isEmpty(): boolean {
    return this.last === undefined;
  }

  /** Returns the lowest price of this window, or undefined when it is empty. */
  get lowPrice(): Decimal | undefined {
    return this.low?.price;
  }

  /** Returns the highest price of this window, or undefined when it is empty. */
  get highPrice(): Decimal | undefined {
    return this.high?.price;
  }

  /** Returns the last tick added to this window, or undefined when it is empty. */
  get lastTick(): PriceTick | undefined {
    return this.last?.tick;
  }

  /**
   * Adds a tick and returns its exact price. Throws when the price is unreadable: lanes take
   * validated ticks (validateTicks), and a bad one reaching here is a wiring bug to surface.
   */
  add(tick: PriceTick): Decimal {
    const price = parsePrice(tick.price);
    if (price === undefined || !price.gt(0)) {
      throw new Error(
        `lane received an unvalidated tick ${JSON.stringify(tick)}: put validateTicks() before it`,
      );
    }
    const marked: Marked = { tick, seq: this.seq++, price };
    // Strict comparisons keep the FIRST tick at an extreme: the earliest time the market
    // touched that price is the one that matters for a stop.
    if (this.low === undefined || price.lt(this.low.price)) this.low = marked;
    if (this.high === undefined || price.gt(this.high.price)) this.high = marked;
    this.last = marked;
    return price;
  }

  /** Returns the window's low, high and last ticks (deduplicated, in arrival order) and empties it. */
  take(): PriceTick[] {
    const picked = [this.low, this.high, this.last].filter((m): m is Marked => m !== undefined);
    picked.sort((a, b) => a.seq - b.seq);
    const out: PriceTick[] = [];
    let prevSeq = -1;
    for (const m of picked) {
      if (m.seq !== prevSeq) out.push(m.tick);
      prevSeq = m.seq;
    }
    this.low = this.high = this.last = undefined;
    return out;
  }
}
