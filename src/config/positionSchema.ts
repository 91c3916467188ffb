import { z } from 'zod';
import type { PositionSpec } from '../domain/types.ts';
import { decimal, integerMillis } from './decimals.ts';
import { strictObject } from './strictObject.ts';

/** The keys of a position, shared by scenarios and position files. */
export const positionShape = {
  side: z.enum(['long', 'short']),
  entryPrice: decimal({ gt: '0' }),
  quantity: decimal({ gt: '0' }),
  openedAt: integerMillis(),
};

/** Schema of `position`: side long|short, entryPrice > 0, quantity > 0, openedAt an integer (ms). */
export const positionSchema = strictObject(positionShape).transform((o): PositionSpec => ({
  side: o.side,
  entryPrice: o.entryPrice,
  quantity: o.quantity,
  openedAt: o.openedAt,
}));
