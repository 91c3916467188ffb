import type { InspectedPosition } from '../inspection/inspectionRecord.ts';
import { orderSyncMachine } from '../machines/orderSyncMachine.ts';
import { positionMachine } from '../machines/positionMachine.ts';
import { DEFAULT_POSITIONS, DEFAULT_RECORDS_PER_POSITION, InspectionHub } from './inspectionHub.ts';
import {
  startInspectorServer,
  type JournalReader,
  type RunningInspector,
} from './inspectorServer.ts';
import { machineGraph } from './machineGraph.ts';
import { layoutMachine } from './machineLayout.ts';
import { layoutRing } from './ringLayout.ts';
import type { HubRetention } from './protocol.ts';

/** What to serve and where. */
export interface ServeOptions {
  readonly positions: readonly InspectedPosition[];
  readonly host?: string;
  readonly port?: number;
  readonly token?: string | undefined;
  /**
   * What the hub keeps. By default the hub's defaults, raised to hold every given position
   * whole: a replay is finite and was loaded whole already, and its start must stay visible.
   */
  readonly retention?: Partial<HubRetention>;
  /** Reads a live position's journal on demand (its steps older than the hub keeps). */
  readonly journal?: JournalReader;
}

/** A served inspector and the hub behind it, into which a live engine can keep pushing. */
export interface ServedInspector extends RunningInspector {
  readonly hub: InspectionHub;
}

/**
 * Lays out the position machine and the order-sync machine as they are defined now, loads the
 * given positions into a hub and serves the inspector. Throws like startInspectorServer
 * (unsafe host, port taken).
 */
export async function serveInspector(options: ServeOptions): Promise<ServedInspector> {
  const longest = Math.max(0, ...options.positions.map((p) => p.records.length));
  const hub = new InspectionHub({
    recordsPerPosition: Math.max(DEFAULT_RECORDS_PER_POSITION, longest),
    positions: Math.max(DEFAULT_POSITIONS, options.positions.length),
    ...options.retention,
  });
  for (const position of options.positions) hub.add(position);
  const drawing = await layoutMachine(machineGraph(positionMachine));
  const syncDrawing = layoutRing(machineGraph(orderSyncMachine));
  const running = await startInspectorServer({
    hub,
    drawing,
    syncDrawing,
    ...(options.journal === undefined ? {} : { journal: options.journal }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    token: options.token,
  });
  return { ...running, hub };
}
