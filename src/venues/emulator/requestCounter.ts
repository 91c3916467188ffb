/**
 * Counts the Binance requests served, so a benchmark or an operator can read the emulator's
 * throughput from `GET /admin/state` without instrumenting the client.
 */
export class RequestCounter {
  private total = 0;
  // Bounded: keys are the served routes (a fixed table) plus "other".
  private readonly perRoute = new Map<string, number>();
  /** Pending whenServed calls; each leaves when it resolves. */
  private readonly waiters = new Set<{ route: string; n: number; resolve: () => void }>();

  /**
   * Records one request, under `route` ("METHOD /path" of a served route) when given. It is
   * counted on arrival, before any injected latency or fault.
   */
  count(route?: string): void {
    this.total += 1;
    if (route === undefined) return;
    const n = (this.perRoute.get(route) ?? 0) + 1;
    this.perRoute.set(route, n);
    for (const w of this.waiters)
      if (w.route === route && n >= w.n) {
        this.waiters.delete(w);
        w.resolve();
      }
  }

  /** Resolves once `n` requests to `route` have arrived (at once if they already have). */
  whenServed(route: string, n: number): Promise<void> {
    if (this.servedOn(route) >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ route, n, resolve }));
  }

  /** Returns the requests counted under `route` so far. */
  servedOn(route: string): number {
    return this.perRoute.get(route) ?? 0;
  }

  /** Returns the number of Binance (non-admin) requests served so far. */
  served(): number {
    return this.total;
  }
}
