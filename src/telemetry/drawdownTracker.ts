import { Decimal } from 'decimal.js';

/** The drawdown as of the latest equity sample. */
export interface DrawdownReading {
  /** The time of the latest sample (ms). */
  readonly ts: number;
  readonly equity: string;
  /** The highest equity within the window, the latest sample included. */
  readonly peak: string;
  /** How far equity is below the peak, in percent of the peak ("0" at or above it). */
  readonly percent: string;
  /** True when `percent` >= the limit. */
  readonly breached: boolean;
}

/** Options of {@link DrawdownTracker}. */
export interface DrawdownOptions {
  /** How far back the peak is looked for (ms). */
  readonly windowMs: number;
  /** The drawdown, in percent of the peak, at which the reading is breached (a decimal string). */
  readonly maxDrawdownPercent: string;
  /** The window is kept in this many buckets at most (the peak's resolution). Default 1440. */
  readonly buckets?: number;
}

interface Peak {
  readonly bucket: number;
  readonly equity: Decimal;
  /** The latest sample time of this bucket: the peak stays in the window until that leaves. */
  last: number;
}

const DEFAULT_BUCKETS = 1440;
const HUNDRED = new Decimal(100);

/**
 * Tracks account equity over a sliding time window and reports how far the latest sample is
 * below the window's peak. Memory is bounded by `buckets`: within one bucket (window / buckets,
 * one minute for 24 h) only the highest equity is kept, so a peak may be remembered up to one
 * bucket longer than the window, never shorter; the breaker errs towards tripping. A sample
 * older than the latest one is ignored (equity fetched out of order); a peak of zero or less
 * gives no drawdown. Pure: time comes in with the samples.
 */
export class DrawdownTracker {
  // Peaks in time order with decreasing equity: every entry may still become the window's peak.
  private peaks: Peak[] = [];
  private latest: DrawdownReading | undefined;
  private readonly bucketMs: number;
  private readonly limit: Decimal;

  constructor(private readonly options: DrawdownOptions) {
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be > 0');
    this.bucketMs = Math.max(1, Math.ceil(options.windowMs / (options.buckets ?? DEFAULT_BUCKETS)));
    this.limit = new Decimal(options.maxDrawdownPercent);
  }

  /** How many peak candidates are kept (at most buckets + 1). */
  get size(): number {
    return this.peaks.length;
  }

  /** Returns the reading after the latest sample, or undefined before the first one. */
  reading(): DrawdownReading | undefined {
    return this.latest;
  }

  /** Adds an equity sample (a decimal string) taken at `ts` and returns the reading after it. */
  record(ts: number, equity: string): DrawdownReading | undefined {
    if (this.latest !== undefined && ts < this.latest.ts) return this.latest;
    const value = new Decimal(equity);
    const bucket = Math.floor(ts / this.bucketMs);
    const peaks = this.peaks;
    const back = peaks.at(-1);
    if (back !== undefined && back.bucket === bucket && back.equity.gte(value)) {
      // A bucket keeps its highest equity, and the time of its latest sample.
      back.last = ts;
    } else {
      // An earlier sample no higher than this one can never be the peak again.
      while (peaks.length > 0 && (peaks.at(-1) as Peak).equity.lte(value)) peaks.pop();
      peaks.push({ bucket, equity: value, last: ts });
    }
    const from = ts - this.options.windowMs;
    let drop = 0;
    while (drop < peaks.length - 1 && (peaks[drop] as Peak).last < from) drop += 1;
    if (drop > 0) this.peaks = peaks.slice(drop);
    const peak = (this.peaks[0] as Peak).equity;
    const percent =
      peak.lte(0) || value.gte(peak) ? new Decimal(0) : peak.minus(value).div(peak).times(HUNDRED);
    this.latest = {
      ts,
      equity: value.toFixed(),
      peak: peak.toFixed(),
      percent: percent.toFixed(),
      breached: percent.gte(this.limit) && percent.gt(0),
    };
    return this.latest;
  }
}
