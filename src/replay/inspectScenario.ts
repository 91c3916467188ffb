import type { Scenario } from '../domain/types.ts';
import type { InspectedPosition, InspectionRecord } from '../inspection/inspectionRecord.ts';
import { createInspectionTap, type InspectionSink } from '../inspection/inspectionTap.ts';
import { positionInfo } from '../inspection/positionInfo.ts';
import { ReplayDriver } from './replayDriver.ts';

/**
 * Returns every inspection record of replaying `scenario` through one position actor — the
 * same actor and the same tap the live engine uses, so a replay and a live position look
 * alike in the inspector. `sink`, when given, also receives each record as it is made.
 */
export function inspectScenario(
  id: string,
  label: string,
  scenario: Scenario,
  sink?: InspectionSink,
): InspectedPosition {
  const records: InspectionRecord[] = [];
  const tap = createInspectionTap((record) => {
    records.push(record);
    sink?.(record);
  });
  const driver = new ReplayDriver(
    {
      input: { id, market: scenario.market, position: scenario.position, policy: scenario.policy },
    },
    { inspect: tap.inspect, attach: tap.attach },
  );
  driver.sendAll(scenario.ticks);
  driver.finish();
  return { info: positionInfo(id, label, scenario), records };
}
