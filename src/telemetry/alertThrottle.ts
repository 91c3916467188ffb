/** How urgent an alert is. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Something an operator must hear about; alerts with the same key are one problem. */
export interface Alert {
  /** What the problem is, e.g. `unprotected:binanceusdm:BTCUSDT:long`; repeats share it. */
  readonly key: string;
  readonly severity: AlertSeverity;
  readonly message: string;
}

/** An alert to deliver now, stamped with when it was raised (ms since the epoch). */
export interface OutgoingAlert extends Alert {
  readonly ts: number;
}

interface KeyState {
  windowStart: number;
  suppressed: number;
  latest: Alert;
}

const RANK: Readonly<Record<AlertSeverity, number>> = { info: 0, warning: 1, critical: 2 };

/** Returns "N more in the last M min" for a summary of suppressed repeats. */
function summaryOf(state: KeyState, now: number): OutgoingAlert {
  const minutes = Math.max(1, Math.round((now - state.windowStart) / 60_000));
  return {
    ...state.latest,
    ts: now,
    message: `${state.latest.message} (${state.suppressed} more in the last ${minutes} min)`,
  };
}

/**
 * Deduplicates and rate-limits alerts by key: the first alert of a key goes out at once, repeats
 * within `intervalMs` are only counted, and when the interval ends a summary of them goes out
 * (the latest message, the highest severity seen, "N more in the last M min") and a new interval
 * starts; a key quiet for a whole interval is forgotten. At most `maxKeys` keys are tracked: the
 * oldest is summarised early to make room. Pure: time comes in as arguments.
 */
export class AlertThrottle {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 1000,
  ) {}

  /** How many keys are tracked now. */
  get size(): number {
    return this.keys.size;
  }

  /** Returns what to deliver now for `alert` raised at `now`: the alert, a summary, both or nothing. */
  offer(alert: Alert, now: number): OutgoingAlert[] {
    const state = this.keys.get(alert.key);
    if (state !== undefined && now < state.windowStart + this.intervalMs) {
      state.suppressed += 1;
      const severity =
        RANK[alert.severity] >= RANK[state.latest.severity]
          ? alert.severity
          : state.latest.severity;
      state.latest = { ...alert, severity };
      return [];
    }
    const out: OutgoingAlert[] = [];
    if (state !== undefined && state.suppressed > 0) out.push(summaryOf(state, now));
    this.keys.delete(alert.key);
    while (this.keys.size >= this.maxKeys) {
      const [oldestKey, oldest] = this.keys.entries().next().value as [string, KeyState];
      this.keys.delete(oldestKey);
      if (oldest.suppressed > 0) out.push(summaryOf(oldest, now));
    }
    this.keys.set(alert.key, { windowStart: now, suppressed: 0, latest: alert });
    out.push({ ...alert, ts: now });
    return out;
  }

  /** Returns the summaries whose interval has ended by `now`, and forgets the keys that stayed quiet. */
  due(now: number): OutgoingAlert[] {
    const out: OutgoingAlert[] = [];
    for (const [key, state] of this.keys) {
      if (now < state.windowStart + this.intervalMs) continue;
      if (state.suppressed === 0) {
        this.keys.delete(key);
        continue;
      }
      out.push(summaryOf(state, now));
      // The storm may go on: the next interval is rate-limited as well.
      state.windowStart = now;
      state.suppressed = 0;
    }
    return out;
  }

  /** Returns every pending summary now and forgets every key (for shutdown). */
  flush(now: number): OutgoingAlert[] {
    const out = [...this.keys.values()]
      .filter((s) => s.suppressed > 0)
      .map((s) => summaryOf(s, now));
    this.keys.clear();
    return out;
  }

  /** Returns when the earliest interval ends, or undefined when no key is tracked. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const state of this.keys.values()) {
      const end = state.windowStart + this.intervalMs;
      if (next === undefined || end < next) next = end;
    }
    return next;
  }
}
