/**
 * How much finished history the emulator keeps, per kind. Open things (positions, resting
 * conditional orders) are always kept; finished ones beyond these counts are forgotten oldest
 * first, and a lookup of a forgotten order answers as Binance does for an unknown one (-2013).
 */
export interface Retention {
  /** Executions kept for `/admin/state`. */
  readonly fills: number;
  /** Market orders (all finished the instant they exist) kept for `GET /fapi/v1/order`. */
  readonly orders: number;
  /** Finished conditional orders kept for `GET /fapi/v1/algoOrder`. */
  readonly algoOrders: number;
  /** Closed positions' protection records kept for `/admin/state`. */
  readonly protectionRecords: number;
}

/** The retention when none is given: enough for an operator's look back, bounded for weeks. */
export const DEFAULT_RETENTION: Retention = {
  fills: 1000,
  orders: 1000,
  algoOrders: 1000,
  protectionRecords: 1000,
};

/** Returns `partial` completed with the defaults; throws RangeError for a negative or fractional count. */
export function retentionOf(partial: Partial<Retention> = {}): Retention {
  const r = { ...DEFAULT_RETENTION, ...partial };
  for (const [name, n] of Object.entries(r))
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`retention.${name} ${n} is not a whole number ≥ 0`);
  return r;
}
