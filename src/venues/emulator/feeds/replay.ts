import type { FeedTick, PriceFeed } from './types.ts';

/**
 * Returns a feed that plays recorded ticks with their original spacing divided by `speed`.
 * Ticks closer than a millisecond of wall time are delivered together, so a fast replay is
 * limited by CPU, not by timer resolution. `onEnd` runs after the last tick.
 */
export function replayFeed(ticks: readonly FeedTick[], speed = 1, onEnd?: () => void): PriceFeed {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    start(sink) {
      let i = 0;
      const first = ticks[0];
      if (first === undefined) return;
      const t0 = first.time;
      const wall0 = Date.now();
      const pump = (): void => {
        if (stopped) return;
        const due = (Date.now() - wall0) * speed + t0;
        for (let t = ticks[i]; t !== undefined && t.time <= due; t = ticks[i]) {
          sink(t);
          i += 1;
        }
        const next = ticks[i];
        if (next === undefined) {
          onEnd?.();
          return;
        }
        const wait = Math.max(1, (next.time - due) / speed);
        timer = setTimeout(pump, wait);
        timer.unref();
      };
      pump();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
