/**
 * Bybit's linear order ids are UUIDs; the shared core numbers its orders. The emulator writes a
 * core number as a UUID whose last group is the number in hex, so either form finds the order.
 */
const PREFIX = '0b7b1e00-0000-4000-8000-';
const ID = /^0b7b1e00-0000-4000-8000-([0-9a-f]{12})$/;

/** Returns the Bybit order id of core order number `n`. */
export function bybitOrderId(n: number): string {
  return PREFIX + n.toString(16).padStart(12, '0');
}

/** Returns the core order number of a Bybit order id, or undefined when it is not one of ours. */
export function coreOrderNumber(id: string): number | undefined {
  const m = ID.exec(id);
  return m?.[1] === undefined ? undefined : parseInt(m[1], 16);
}

/** Returns the execution id of core trade number `n`, in the same UUID form. */
export function bybitExecId(n: number): string {
  return `0b7b1e01-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
