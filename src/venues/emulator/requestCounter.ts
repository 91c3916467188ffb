/**
 * Counts the Binance requests served, so a benchmark or an operator can read the emulator's
 * throughput from `GET /admin/state` without instrumenting the client.
 */
export class RequestCounter {
  private total = 0;
  // Bounded: keys are the served routes (a fixed table) plus "other".
  private readonly perRoute = new Map<string, number>();

  /** Records one request, under `route` ("METHOD /path" of a served route) when given. */
  count(route?: string): void {
    this.total += 1;
    if (route !== undefined) this.perRoute.set(route, (this.perRoute.get(route) ?? 0) + 1);
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
