import { lockValue } from '../domain/elastic.ts';
import { Dec } from '../domain/money.ts';
import { profitPercent } from '../domain/profit.ts';
import { elasticFrame, positionPrices, type PositionContext } from '../machines/positionContext.ts';
import type { InspectedContext } from './inspectionRecord.ts';

/**
 * Returns the inspected view of a position context: the moving parts as plain JSON, plus the
 * peak % and the SETE lock in its policy unit, which the context does not store but a trader
 * reads the stop by.
 */
export function inspectContext(context: PositionContext): InspectedContext {
  const entry = new Dec(context.position.entryPrice);
  const { lastPrice, peakPrice, extreme } = positionPrices(context);
  const peakPercent =
    peakPrice === null
      ? null
      : profitPercent(new Dec(peakPrice), entry, context.position.side)
          .toDecimalPlaces(6)
          .toFixed();
  const lockInUnit =
    context.lock === null || context.policy.elastic === undefined
      ? null
      : lockValue(elasticFrame(context), new Dec(context.lock)).toDecimalPlaces(8).toFixed();
  return {
    stop: context.stop,
    stopSource: context.stopSource,
    lastTs: context.lastTs,
    lastPrice,
    peakPrice,
    peakPercent,
    extreme,
    lock: context.lock,
    lockInUnit,
    windowSize: context.window.length / 2,
    exit: context.exit,
  };
}
