/**
 * Client order ids: `<prefix>-<tag>-<kind><n>`, where the tag is a short hash of the position's
 * id. The prefix tells our orders from anyone else's; the tag tells which position an order
 * belongs to, across restarts, with no lookup table. Binance allows 36 characters
 * (`^[.A-Z:/a-z0-9_-]{1,36}$`): 8 + 1 + 7 + 1 + 1 + up to 8 base-36 digits fits.
 */

/** Returns the 7-character base-36 tag of a position id (FNV-1a, 32 bits). */
export function positionTag(positionId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < positionId.length; i++) {
    h ^= positionId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** Returns the start every client id of the position shares. */
export function clientIdStem(prefix: string, positionId: string): string {
  return `${prefix}-${positionTag(positionId)}-`;
}

/** Whether an order's client id was issued by an engine with this prefix. */
export function isOurs(clientId: string, prefix: string): boolean {
  return clientId.startsWith(`${prefix}-`);
}
