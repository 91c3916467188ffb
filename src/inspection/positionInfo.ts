import type { Scenario } from '../domain/types.ts';
import type { PositionInfo } from './inspectionRecord.ts';

/** Returns the static facts of a scenario's position under the given id and label. */
export function positionInfo(id: string, label: string, scenario: Scenario): PositionInfo {
  return {
    id,
    label,
    side: scenario.position.side,
    entryPrice: scenario.position.entryPrice,
    quantity: scenario.position.quantity,
    openedAt: scenario.position.openedAt,
    tickSize: scenario.market.tickSize,
    policy: scenario.policy,
  };
}
