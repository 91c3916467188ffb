import type { Market } from '../domain/types.ts';
import { decimal } from './decimals.ts';
import { strictObject } from './strictObject.ts';

/** Schema of `market`: `tickSize` > 0, the price increment every stop is rounded to. */
export const marketSchema = strictObject({
  tickSize: decimal({ gt: '0' }),
}).transform((o): Market => ({ tickSize: o.tickSize }));
