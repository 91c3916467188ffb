import { createActor } from 'xstate';
import type { Scenario } from '../domain/types.ts';
import { positionMachine } from '../machines/positionMachine.ts';
import type { InspectedPosition, InspectionRecord } from '../inspection/inspectionRecord.ts';
import { positionInfo } from '../inspection/positionInfo.ts';
import { createInspectionTap, type InspectionSink } from '../inspection/inspectionTap.ts';

/**
 * Returns every inspection record of replaying `scenario` through one position actor — the
 * same actor and the same tap the live engine uses, so a replay and a live position look
 * alike in the inspector. Ticks after the exit are not sent (the SPEC ignores them).
 * `sink`, when given, also receives each record as it is made.
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
  const actor = createActor(positionMachine, {
    input: { id, market: scenario.market, position: scenario.position, policy: scenario.policy },
    inspect: tap.inspect,
  });
  const detach = tap.attach(actor);
  actor.start();
  for (const tick of scenario.ticks) {
    if (actor.getSnapshot().status !== 'active') break;
    actor.send({ type: 'PRICE', ts: tick.ts, price: tick.price });
  }
  detach();
  actor.stop();
  return { info: positionInfo(id, label, scenario), records };
}
