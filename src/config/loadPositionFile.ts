import type { Market, PositionSpec } from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { marketSchema } from './marketSchema.ts';
import { positionSchema, positionShape } from './positionSchema.ts';
import { readConfigDocument } from './readConfigFile.ts';
import { strictObject } from './strictObject.ts';
import { validate } from './validate.ts';

/** What a position file holds: the position and, usually, its market. */
export interface PositionFile {
  /** Absent when the file gives no tick size; a replay then refuses to start (see assembleScenario). */
  readonly market?: Market;
  readonly position: PositionSpec;
}

/** Schema of the nested form `{ market?: { tickSize }, position: { side, entryPrice, quantity, openedAt } }`. */
export const nestedPositionFileSchema = strictObject({
  market: marketSchema.optional(),
  position: positionSchema,
}).transform((o): PositionFile => ({
  position: o.position,
  ...(o.market !== undefined ? { market: o.market } : {}),
}));

/** Schema of the flat form `{ side, entryPrice, quantity, openedAt, tickSize? }`. */
export const flatPositionFileSchema = strictObject({
  ...positionShape,
  tickSize: decimal({ gt: '0' }).optional(),
}).transform((o): PositionFile => ({
  position: { side: o.side, entryPrice: o.entryPrice, quantity: o.quantity, openedAt: o.openedAt },
  ...(o.tickSize !== undefined ? { market: { tickSize: o.tickSize } } : {}),
}));

/**
 * Returns the position (and market) of a parsed position document, nested (it has a `position`
 * key) or flat; throws ConfigError listing every problem.
 */
export function parsePosition(document: unknown, file?: string): PositionFile {
  const nested = typeof document === 'object' && document !== null && 'position' in document;
  return validate(nested ? nestedPositionFileSchema : flatPositionFileSchema, document, file);
}

/** Returns the position (and market) of a JSON or YAML position file; throws ConfigError if missing, malformed or invalid. */
export async function loadPositionFile(file: string): Promise<PositionFile> {
  return parsePosition(await readConfigDocument(file), file);
}
