/**
 * The public surface of the price streams, for the actor wiring and the CLI. Typical live
 * pipeline per symbol and position:
 *
 * ```ts
 * const feed = new FallbackSource(ccxtWatchSource(ex, { watch: cfg.priceSource }),
 *   restPollingSource(ex, { intervalMs: cfg.pollIntervalMs }), cfg);
 * const valid = validatedSource(feed, { counters, onRejected: log });
 * valid.ticks(symbol).pipe(lane(position, cfg)).subscribe((d) => d.ticks.forEach(send));
 * clock(cfg.clockPeriodMs).subscribe(send);
 * ```
 */
export * from './ccxtWatchSource.ts';
export * from './clock.ts';
export * from './fallbackSource.ts';
export * from './lane.ts';
export * from './priceSource.ts';
export * from './priceTick.ts';
export * from './replaySource.ts';
export * from './restPollingSource.ts';
export * from './streamConfig.ts';
export * from './validateTicks.ts';
export * from './windowExtremes.ts';
export * from './pollPace.ts';
