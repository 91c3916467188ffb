import type { Decimal } from 'decimal.js';

/** One price observation a feed delivers to the emulator. */
export interface FeedTick {
  readonly symbol: string;
  /** Feed time in epoch milliseconds (the data's own clock, not the emulator's). */
  readonly time: number;
  readonly price: Decimal;
  readonly qty: Decimal;
  /** A mark price when the source has one; otherwise the emulator marks at the last price. */
  readonly mark?: Decimal;
  readonly isBuyerMaker: boolean;
}

/** A running source of ticks. */
export interface PriceFeed {
  /** Starts delivering ticks to `sink`. */
  start(sink: (tick: FeedTick) => void): void;
  /** Stops delivering; no tick arrives after it returns. */
  stop(): void;
}
