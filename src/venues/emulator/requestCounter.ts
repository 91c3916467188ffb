/**
 * Counts the Binance requests served, so a benchmark or an operator can read the emulator's
 * throughput from `GET /admin/state` without instrumenting the client.
 */
export class RequestCounter {
  private total = 0;

  /** Records one request. */
  count(): void {
    this.total += 1;
  }

  /** Returns the number of Binance (non-admin) requests served so far. */
  served(): number {
    return this.total;
  }
}
