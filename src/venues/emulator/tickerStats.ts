import { Decimal } from 'decimal.js';

/**
 * Rolling statistics of one symbol's trades for the 24-hour ticker. The emulator keeps them since
 * start (not a sliding 24 h window): an emulator session rarely lasts a day and the simpler form
 * keeps every figure exact.
 */
export class TickerStats {
  open: Decimal | undefined;
  high: Decimal | undefined;
  low: Decimal | undefined;
  last: Decimal | undefined;
  lastQty = new Decimal(0);
  volume = new Decimal(0);
  quoteVolume = new Decimal(0);
  count = 0;
  firstId = 0;
  lastId = 0;
  openTime = 0;

  /** Records one trade. */
  add(price: Decimal, qty: Decimal, tradeId: number, time: number): void {
    if (this.open === undefined) {
      this.open = price;
      this.firstId = tradeId;
      this.openTime = time;
    }
    this.high = this.high === undefined || price.gt(this.high) ? price : this.high;
    this.low = this.low === undefined || price.lt(this.low) ? price : this.low;
    this.last = price;
    this.lastQty = qty;
    this.volume = this.volume.plus(qty);
    this.quoteVolume = this.quoteVolume.plus(qty.mul(price));
    this.count += 1;
    this.lastId = tradeId;
  }

  /**
   * Returns the `/fapi/v1/ticker/24hr` row (also the source of the ws `24hrTicker` event);
   * `current` stands in for every price while no trade has happened yet.
   */
  json(symbol: string, now: number, current: Decimal): Record<string, string | number> {
    const last = this.last ?? current;
    const open = this.open ?? last;
    const change = last.minus(open);
    const pct = open.isZero() ? new Decimal(0) : change.div(open).mul(100).toDecimalPlaces(3);
    const vwap = this.volume.isZero() ? last : this.quoteVolume.div(this.volume).toDecimalPlaces(8);
    return {
      symbol,
      priceChange: change.toString(),
      priceChangePercent: pct.toFixed(3),
      weightedAvgPrice: vwap.toString(),
      lastPrice: last.toString(),
      lastQty: this.lastQty.toString(),
      openPrice: open.toString(),
      highPrice: (this.high ?? last).toString(),
      lowPrice: (this.low ?? last).toString(),
      volume: this.volume.toString(),
      quoteVolume: this.quoteVolume.toString(),
      openTime: this.openTime || now,
      closeTime: now,
      firstId: this.firstId,
      lastId: this.lastId,
      count: this.count,
    };
  }
}
